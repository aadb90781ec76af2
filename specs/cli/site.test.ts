import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFullInShards, runLabelOf, sitePlan, sourceHrefs } from '../../src/cli/site.js';
import { ConfigError } from '../../src/config/errors.js';
import type { RegionRecord } from '../../src/report/region-record.js';
import type { ClaimSummary, Summary } from '../../src/report/summary.js';
import { mergeSummaries } from '../../src/site/merge.js';
import { cellTypesOf, sitePage } from '../../src/site/page.js';
import { SITE_INDEX, writeSite } from '../../src/site/write.js';

const tmp = mkdtempSync(join(tmpdir(), 'vg-site-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const region = (claimId: string, regionId: string, measured: string, role: 'premise' | 'boundary' = 'premise'): RegionRecord => ({
  claimId,
  section: 'The Core Problem',
  regionId,
  region: `${regionId}, described`,
  expected: measured,
  measured,
  matches: true,
  seed: 1,
  runs: 4,
  role,
  counts: { holds: measured === 'holds' ? 4 : 0, fails: measured === 'holds' ? 0 : 4, broken: 0, outside: 0 },
  numbers: {},
  counterexample: null,
  broken: null,
  backend: 'wasm',
});
const claim = (id: string, regions: RegionRecord[], measured: ClaimSummary['measured']): ClaimSummary => ({
  id,
  section: 'The Core Problem',
  kind: 'empirical',
  statement: `Statement of ${id} <with & markup>`,
  predicate: 'p',
  boundary: null,
  expected: measured,
  measured,
  regions,
});
const summaryOf = (claims: ClaimSummary[]): Summary => {
  const totals: Record<string, number> = { holds: 0, refuted: 0, conditional: 0, 'numerically-broken': 0, pending: 0 };
  for (const c of claims) totals[c.measured] = (totals[c.measured] ?? 0) + 1;
  return { document: 'vanishing-gradients.md', seed: 1, backends: ['wasm'], totals, mismatches: [], claims, pending: [] };
};

describe('the verdict site, without a browser', () => {
  it("should merge shards' summaries, combining a claim's verdict from the regions of both", () => {
    const a = summaryOf([claim('VG-A', [region('VG-A', 'r1', 'holds')], 'holds'), claim('VG-B', [region('VG-B', 'r1', 'refuted')], 'refuted')]);
    const b = summaryOf([claim('VG-A', [region('VG-A', 'r2', 'refuted'), region('VG-A', 'r1', 'holds')], 'refuted')]);
    const m = mergeSummaries([a, b]);
    expect(m.claims.map((c) => [c.id, c.measured, c.regions.map((r) => r.regionId)])).toEqual([
      ['VG-A', 'conditional', ['r1', 'r2']],
      ['VG-B', 'refuted', ['r1']],
    ]);
    expect(m.totals).toMatchObject({ holds: 0, refuted: 1, conditional: 1 });
  });

  it('should read CI shards 1/2 and 2/2 of an otherwise full run as full, and anything narrower as partial', () => {
    const full = { claims: [], sections: [], verdicts: [], runs: null, config: null, record: false, training: 'full', shard: null };
    expect(
      isFullInShards([
        { ...full, shard: '1/2' },
        { ...full, shard: '2/2' },
      ]),
    ).toBe(true);
    expect(isFullInShards([{ ...full, shard: '1/2' }])).toBe(false);
    expect(
      isFullInShards([
        { ...full, shard: '1/2' },
        { ...full, shard: '1/2' },
      ]),
    ).toBe(false);
    expect(
      isFullInShards([
        { ...full, shard: '1/2', training: 'reduced' },
        { ...full, shard: '2/2', training: 'reduced' },
      ]),
    ).toBe(false);
    expect(
      isFullInShards([
        { ...full, shard: '1/2', claims: ['VG-A'] },
        { ...full, shard: '2/2' },
      ]),
    ).toBe(false);
    expect(isFullInShards([{ ...full, shard: '1/2' }, null])).toBe(false);
  });

  it("should say what ran from the summaries' own record of it, a partial run as partial", () => {
    const run = (over: object) => ({
      kind: 'partial' as const,
      claims: ['VG-A'],
      sections: [],
      verdicts: [],
      shard: null,
      training: 'reduced',
      seed: 7,
      seeds: [],
      seedFlag: 7,
      config: null,
      runs: null,
      backend: null,
      record: false,
      place: 'project' as const,
      ...over,
    });
    const one = runLabelOf([{ ...summaryOf([]), run: run({}) }], []);
    expect(one).toEqual({ label: 'Partial run: claim VG-A; reduced training plan, seed 7, no pins, backend wasm', partial: true });
    const shards = runLabelOf(
      [1, 2].map((i) => ({ ...summaryOf([]), run: run({ kind: 'partial', claims: [], training: 'full', shard: `${i}/2` }) })),
      [],
    );
    expect(shards.partial).toBe(false);
    expect(shards.label).toMatch(/^Full run in 2 shards: /);
    expect(runLabelOf([summaryOf([])], []).label).toMatch(/does not describe/);
  });

  it('should escape statements, give every claim its own line and mark a partial run in its title and first line', () => {
    const html = sitePage({
      summary: summaryOf([claim('VG-A', [region('VG-A', 'r1', 'holds')], 'holds')]),
      runLabel: 'Partial run: claims VG-A',
      partial: true,
      allureIndex: null,
      allureLinks: new Map(),
      plots: new Map(),
      sourceHref: () => null,
      specOf: () => null,
      panelScript: null,
    });
    expect(html).toContain('Statement of VG-A &lt;with &amp; markup&gt;');
    expect(html).toMatch(/<title>Partial run — /);
    expect(html).toContain('<p class="run partial" id="run-label">Partial run: claims VG-A</p>');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|https?:\/\/(?!www\.w3\.org)/);
  });

  it('should sort regions into cell types by their words, a region naming none being about the vanilla RNN', () => {
    expect(cellTypesOf({ regionId: 'lstm-pytorch', region: 'LSTM at PyTorch default' })).toEqual(['LSTM']);
    expect(cellTypesOf({ regionId: 'gated', region: 'LSTM and GRU' })).toEqual(['LSTM', 'GRU']);
    expect(cellTypesOf({ regionId: 'layernorm-as-written', region: "the document's LayerNormRNNCell" })).toEqual(['layer norm']);
    expect(cellTypesOf({ regionId: 'any', region: 'T 30–100' })).toEqual(['vanilla RNN']);
  });

  it('should refuse a named claims.json that is missing, before anything is written, and build no site when none is beside plain results', () => {
    const out = join(tmp, 'plan', 'allure-report');
    expect(() => sitePlan([join(tmp, 'results')], out, [join(tmp, 'nope.json')])).toThrow(ConfigError);
    expect(() => sitePlan([join(tmp, 'results')], out, [join(tmp, 'nope.json')])).toThrow(/--summary.*nope\.json/);
    expect(existsSync(join(tmp, 'plan'))).toBe(false);
    expect(sitePlan([join(tmp, 'results')], out)).toBeNull();
  });

  it('should refuse to replace an index.html it did not write, and leave it as it was', () => {
    const dir = join(tmp, 'foreign');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, SITE_INDEX), '<p>a user page</p>');
    writeFileSync(join(dir, 'claims.json'), JSON.stringify(summaryOf([])));
    const write = () =>
      writeSite({
        summaryFile: join(dir, 'claims.json'),
        resultsDirs: [],
        siteDir: dir,
        allureReport: null,
        allureLinks: new Map(),
        runLabel: 'x',
        partial: false,
        sourceHref: () => null,
        panelScript: null,
      });
    expect(write).toThrow(ConfigError);
    expect(readFileSync(join(dir, SITE_INDEX), 'utf8')).toBe('<p>a user page</p>');
    rmSync(join(dir, SITE_INDEX));
    expect(write()).toBe(join(dir, SITE_INDEX));
    expect(write()).toBe(join(dir, SITE_INDEX));
  });

  it("should link claims' files to GitHub at the commit on Actions, else to the files themselves", () => {
    expect(sourceHrefs(tmp, { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc' })('src/claims/sections/core.ts')).toBe(
      'https://github.com/o/r/blob/abc/src/claims/sections/core.ts',
    );
    const local = sourceHrefs(tmp, {})('src/claims/sections/core.ts');
    expect(local).toMatch(/src\/claims\/sections\/core\.ts$/);
    expect(sourceHrefs(tmp, {})('src/no/such/file.ts')).toBeNull();
  });
});
