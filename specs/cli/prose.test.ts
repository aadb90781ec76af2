import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { claimsForPlan } from '../../src/claims/registry.js';
import { trainingPlan } from '../../src/claims/training/plan.js';
import { NOT_MEASURED_TEXT, fillProse, placeholders, regionMatches } from '../../src/report/prose.js';
import type { RegionRecord } from '../../src/report/region-record.js';
import type { Summary } from '../../src/report/summary.js';

/**
 * Issue 22: measured numbers in a claim's prose are filled from the run's records. Every
 * placeholder names a region of its own claim, and the published claims.json holds a value for it.
 */
const claims = claimsForPlan(trainingPlan('full'), { record: true });
const texts = claims.flatMap((c) => [c.predicate, c.boundary ?? '', c.reading ?? '', c.premise.text].map((text) => ({ claim: c, text })));
const published = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'claims.json'), 'utf8')) as Summary;

describe("numbers in the claims' prose", () => {
  it('should name, in every placeholder, a region of its own claim', () => {
    const dangling = texts.flatMap(({ claim, text }) =>
      placeholders(text)
        .filter((p) => !claim.regions.some((r) => regionMatches(p.region, r.id)))
        .map((p) => `${claim.id}: ${p.text}`),
    );
    expect(dangling, 'placeholders naming no region of their claim').toEqual([]);
  });

  it('should find a value for every placeholder in the published claims.json', () => {
    const missing = texts.flatMap(({ claim, text }) => {
      const records = published.claims.find((c) => c.id === claim.id)?.regions ?? [];
      return placeholders(text)
        .filter((p) => fillProse(p.text, records) === NOT_MEASURED_TEXT)
        .map((p) => `${claim.id}: ${p.text}`);
    });
    expect(missing, 'placeholders the published records hold no value for').toEqual([]);
  });

  it('should publish the prose filled, with no placeholder left', () => {
    const left = published.claims.flatMap((c) =>
      [c.predicate, c.boundary ?? '', c.reading ?? '', c.premise ?? '']
        .filter((t) => placeholders(t).length > 0 || t.includes(NOT_MEASURED_TEXT))
        .map((t) => `${c.id}: ${t.slice(0, 80)}`),
    );
    expect(left, 'published texts with a placeholder or a missing value').toEqual([]);
  });

  it('should fill ranges, counts and medians from the records, and say when a region was not measured', () => {
    const record = {
      regionId: 'r',
      runs: 30,
      counts: { holds: 20, fails: 5, broken: 0, outside: 5 },
      stats: { gap: { min: 16.2, max: 17.4, median: 16.9, cases: 25, missing: 0 }, one: { min: 2, max: 2, median: 2, cases: 25, missing: 0 } },
    } as unknown as RegionRecord;
    expect(
      fillProse('gap {{r|gap}}, {{r|gap|median}} median, {{r|one}}; {{r|holds}} of {{r|cases}} ({{r|runs}} sampled); {{q|gap}}', [record]),
      'filled text',
    ).toBe(`gap 16.2–17.4, 16.9 median, 2; 20 of 25 (30 sampled); ${NOT_MEASURED_TEXT}`);
    expect(() => placeholders('{{r|gap|mean}}'), 'an unknown statistic').toThrow(/stat should be one of range, min, max, median/);
  });

  it('should aggregate over every region a pattern with * matches, and refuse a median over several', () => {
    const rec = (regionId: string, holds: number, fails: number, min: number, max: number) =>
      ({
        regionId,
        runs: holds + fails,
        counts: { holds, fails, broken: 0 },
        stats: { gap: { min, max, median: (min + max) / 2, cases: holds + fails, missing: 0 } },
      }) as unknown as RegionRecord;
    const records = [
      rec('recall/rnn-demo/lag-5', 4, 1, 0.2, 0.9),
      rec('recall/rnn-orthogonal/lag-5', 5, 0, 0.1, 0.5),
      rec('recall/gru/lag-5', 0, 5, 3, 4),
      rec('adding/rnn-demo/lag-10', 1, 4, 7, 8),
    ];
    expect(
      fillProse('{{recall/rnn-*/lag-*|holds}} of {{recall/rnn-*/lag-*|cases}}; {{recall/rnn-*|gap}}; {{*/lag-5|gap|max}}; {{recall/lstm-*|gap}}', records),
      'aggregated text',
    ).toBe(`9 of 10; 0.1–0.9; 4; ${NOT_MEASURED_TEXT}`);
    expect(() => fillProse('{{recall/rnn-*|gap|median}}', records), 'a median over two regions').toThrow(/median over 2 regions is not defined/);
    expect(regionMatches('a.b/*', 'axb/c'), 'the dot is literal').toBe(false);
  });
});
