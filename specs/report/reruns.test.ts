import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS, PENDING } from '../../src/claims/registry.js';
import { ALLURE_RESULTS, EVIDENCE } from '../../src/cli/paths.js';
import { generateReport } from '../../src/cli/report.js';
import { readRecords } from '../../src/report/evidence-store.js';
import type { RegionRecord } from '../../src/report/region-record.js';
import { buildSummary } from '../../src/report/summary.js';
import { REPEATED_RUNS } from '../figures.js';
import { renderedLeafTitles } from './browser.js';
import { RERUN_SECTIONS, runSuite, type SuiteRun } from './suite.js';

/**
 * Re-runs of the claim suite (filtered to RERUN_SECTIONS, as `vg verify --section` does) against
 * the unsharded run `npm test` just made: as 2 shards merged the way CI merges them, once more
 * with the same seed, once with another seed, and once on the other backend.
 */
const SEED = 424242, OTHER_SEED = 97;
const work = mkdtempSync(join(tmpdir(), 'vg-reruns-'));
let shards: SuiteRun[] = [];
let repeat: SuiteRun;
let otherSeed: SuiteRun;
let otherBackend: SuiteRun;
let unsharded: RegionRecord[] = [];
let mainBackend = '';

const inSections = (records: readonly RegionRecord[]): RegionRecord[] => records.filter((r) => RERUN_SECTIONS.includes(r.section));
const key = (r: RegionRecord): string => `${r.claimId} [${r.regionId}]`;
const verdictLine = (r: RegionRecord): string => `${key(r)} ${r.measured} ${r.counts.holds}/${r.counts.fails}/${r.counts.broken}`;
const summaryJson = (records: readonly RegionRecord[]): string => `${JSON.stringify(buildSummary(CLAIMS, PENDING, [...records].sort((a, b) => key(a).localeCompare(key(b))), SEED), null, 2)}\n`;

/** Allure results of the given sections: region title → "verdict status". */
function allureVerdicts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name: string; status: string; labels: Array<{ name: string; value: string }> };
    const label = (n: string): string | undefined => r.labels.find((l) => l.name === n)?.value;
    const epic = label('epic'), verdict = label('verdict');
    if (verdict && epic && RERUN_SECTIONS.includes(epic)) out.set(r.name.split(':')[0], `${verdict} ${r.status}`);
  }
  return out;
}

beforeAll(async () => {
  unsharded = inSections(await readRecords(EVIDENCE));
  mainBackend = unsharded[0]?.backend ?? '';
  shards = [await runSuite(work, { VG_FC_SEED: String(SEED) }, '1/2'), await runSuite(work, { VG_FC_SEED: String(SEED) }, '2/2')];
  repeat = await runSuite(work, { VG_FC_SEED: String(SEED) });
  otherSeed = await runSuite(work, { VG_FC_SEED: String(OTHER_SEED) });
  otherBackend = await runSuite(work, { VG_FC_SEED: String(SEED), VG_BACKEND: mainBackend === 'cpu' ? 'wasm' : 'cpu' });
}, 900_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the claim suite run as 2 shards and merged', () => {
  it('should measure every region in exactly one shard, with the unsharded run\'s verdict and counts', () => {
    expect(unsharded.length, 'the unsharded run measured these sections').toBeGreaterThan(0);
    const [a, b] = shards.map((s) => s.records.map(key));
    expect(a.filter((k) => b.includes(k)), 'regions run in both shards').toEqual([]);
    expect(shards.flatMap((s) => s.records).map(verdictLine).sort()).toEqual(unsharded.map(verdictLine).sort());
  });

  it('should merge the shards\' Allure results into one report holding exactly the unsharded run\'s claims and verdicts', async () => {
    const merged = new Map([...allureVerdicts(shards[0].results), ...allureVerdicts(shards[1].results)]);
    const main = allureVerdicts(ALLURE_RESULTS);
    expect([...merged].sort()).toEqual([...main].sort());
    const index = generateReport(shards.map((s) => s.results), join(work, 'report'), { history: false });
    const { titles, externalRequests } = await renderedLeafTitles(index);
    expect(externalRequests, 'requests the merged report tried to send out').toEqual([]);
    const shown = titles.filter((t) => /^VG-[A-Z0-9-]+ \[/.test(t)).map((t) => t.split(':')[0]).sort();
    expect(shown, 'region titles rendered in the merged report').toEqual([...main.keys()].sort());
  }, 240_000);
});

describe('reproducibility', () => {
  it(`should give a byte-identical summary (claims.json) in ${REPEATED_RUNS} runs with the same seed`, () => {
    const runs = [unsharded, shards.flatMap((s) => s.records), repeat.records];
    expect(runs.length).toBe(REPEATED_RUNS);
    const texts = runs.map(summaryJson);
    for (let i = 1; i < texts.length; i++) expect(texts[i], `run ${i + 1} differs from run 1`).toBe(texts[0]);
  });

  it('should keep "holds" for every claim said to hold everywhere when the seed changes', () => {
    const everywhere = CLAIMS.filter((c) => RERUN_SECTIONS.includes(c.section) && c.regions.every((r) => r.expected === 'holds'));
    expect(everywhere.length).toBeGreaterThan(0);
    for (const claim of everywhere) {
      for (const r of otherSeed.records.filter((x) => x.claimId === claim.id)) expect(r.measured, `${key(r)} with seed ${OTHER_SEED}`).toBe('holds');
    }
    expect(otherSeed.records.some((r) => r.seed !== unsharded.find((u) => key(u) === key(r))?.seed), 'the other seed sampled other cases').toBe(true);
  });

  it('should give the same verdicts on cpu and wasm, and key numbers within atol 1e-3 + rtol 1e-2', () => {
    expect(otherBackend.records.map(verdictLine).sort()).toEqual(unsharded.map(verdictLine).sort());
    for (const r of otherBackend.records) {
      const m = unsharded.find((u) => key(u) === key(r))!;
      expect(r.backend).not.toBe(m.backend);
      for (const [name, v] of Object.entries(r.numbers)) {
        const w = m.numbers[name];
        if (typeof v === 'number' && typeof w === 'number') expect(Math.abs(v - w), `${key(r)} ${name}: ${r.backend} ${v}, ${m.backend} ${w}`).toBeLessThanOrEqual(1e-3 + 1e-2 * Math.abs(w));
        else expect(v, `${key(r)} ${name}`).toEqual(w);
      }
    }
  });
});
