import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS, PENDING } from '../../src/claims/registry.js';
import { ALLURE_RESULTS, EVIDENCE } from '../../src/cli/paths.js';
import { generateReport } from '../../src/cli/report.js';
import { readRecords } from '../../src/report/evidence-store.js';
import type { RegionRecord } from '../../src/report/region-record.js';
import { type Tolerance, describeMismatch, isClose } from '../../src/numerics/close.js';
import { type Summary, buildSummary } from '../../src/report/summary.js';
import { compareSeeds, instabilityReport } from '../../src/report/sweep.js';
import { SECTIONS } from '../../src/engine/types.js';
import { REPEATED_RUNS } from '../figures.js';
import { renderedLeafTitles } from './browser.js';
import { RERUN_SECTIONS, backendRegions, involvesBackend, runSuite, type SuiteRun } from './suite.js';

/**
 * Re-runs of the claim suite (filtered to RERUN_SECTIONS, as `vg verify --section` does) against
 * the unsharded run `npm test` just made: as 2 shards merged the way CI merges them (also the
 * same-seed repeat the summaries are compared with), and on the other backend the regions of these
 * sections whose measurement involved the tfjs backend (the others are the same computation on
 * every backend: suite.ts involvesBackend); and every gradient claim with another seed (the sweep,
 * also the other-seed run of RERUN_SECTIONS). A third same-seed run and a second other-seed run of
 * these sections repeated what those measure.
 */
const SEED = 424242;
/** cpu and wasm sum float32 in different orders; key numbers agree to this (the test title states it). */
const BACKEND_TOL: Tolerance = { atol: 1e-3, rtol: 1e-2 };
const work = mkdtempSync(join(tmpdir(), 'vg-reruns-'));
let shards: SuiteRun[] = [];
let otherBackend: SuiteRun;
/** The unsharded run's regions that involved the tfjs backend: the ones the other backend re-runs. */
let involved: RegionRecord[] = [];
let sweep: SuiteRun;
/** The second seed of npm test's sweep over every gradient claim (the first is the claims project's, 424242). */
const SWEEP_SEED = 1;
let unsharded: RegionRecord[] = [];
let mainBackend = '';

const inSections = (records: readonly RegionRecord[]): RegionRecord[] => records.filter((r) => RERUN_SECTIONS.includes(r.section));
const key = (r: RegionRecord): string => `${r.claimId} [${r.regionId}]`;
const verdictLine = (r: RegionRecord): string => `${key(r)} ${r.measured} ${r.counts.holds}/${r.counts.fails}/${r.counts.broken}`;
const summaryJson = (records: readonly RegionRecord[]): string =>
  `${JSON.stringify(
    buildSummary(
      CLAIMS,
      PENDING,
      [...records].sort((a, b) => key(a).localeCompare(key(b))),
      SEED,
    ),
    null,
    2,
  )}\n`;

/**
 * Allure results of the re-run sections, by region (`claim [region]`, from the claim and story
 * labels): the name the report shows and "verdict status". The section is read from its own label
 * (the epic carries the section's number in the document).
 */
function allureVerdicts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name: string; status: string; labels: Array<{ name: string; value: string }> };
    const label = (n: string): string | undefined => r.labels.find((l) => l.name === n)?.value;
    const section = label('section'),
      claim = label('claim'),
      region = label('story'),
      verdict = label('verdict');
    if (verdict && claim && region && section && RERUN_SECTIONS.includes(section)) out.set(`${claim} [${region}]`, `${r.name} | ${verdict} ${r.status}`);
  }
  return out;
}

beforeAll(async () => {
  unsharded = inSections(await readRecords(EVIDENCE));
  mainBackend = unsharded[0]?.backend ?? '';
  shards = [
    await runSuite(work, { env: { VG_FC_SEED: String(SEED) }, shard: '1/2' }),
    await runSuite(work, { env: { VG_FC_SEED: String(SEED) }, shard: '2/2' }),
  ];
  // Only the regions that involved the tfjs backend, and only their sections' spec files.
  involved = unsharded.filter(involvesBackend);
  otherBackend = await runSuite(work, {
    env: { VG_FC_SEED: String(SEED), VG_BACKEND: mainBackend === 'cpu' ? 'wasm' : 'cpu' },
    sections: [...new Set(involved.map((r) => r.section))],
    regions: backendRegions(involved),
  });
  // The seed sweep of npm test: every gradient claim once more, with another seed.
  sweep = await runSuite(work, { env: { VG_FC_SEED: String(SWEEP_SEED) }, sections: [...SECTIONS], gradientOnly: true });
}, 1_500_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('seed sweep over every gradient claim (seeds 424242 and 1)', () => {
  it('should give every gradient region the same verdict with both seeds', async () => {
    // The registry's gradient regions (a user's example claims also run in the claims project, with one seed).
    const gradient = (records: readonly RegionRecord[]): RegionRecord[] =>
      records.filter((r) => (!r.budgets || r.budgets.length === 0) && CLAIMS.some((c) => c.id === r.claimId));
    const main = gradient(await readRecords(EVIDENCE)),
      other = gradient(sweep.records);
    expect(main.length, `gradient regions of the main run: ${main.length}; of the seed-${SWEEP_SEED} run: ${other.length}`).toBe(other.length);
    const swept = compareSeeds([
      { seed: SEED, records: main },
      { seed: SWEEP_SEED, records: other },
    ]);
    expect(instabilityReport(swept), `${swept.filter((r) => !r.stable).length} of ${swept.length} regions changed verdict with the seed`).toBe('');
  });
});

describe('the claim suite run as 2 shards and merged', () => {
  it("should measure every region in exactly one shard, with the unsharded run's verdict and counts", () => {
    expect(unsharded.length, `regions the unsharded run measured in ${RERUN_SECTIONS.join(', ')}: ${unsharded.length}, some expected`).toBeGreaterThan(0);
    const [a, b] = shards.map((s) => s.records.map(key));
    const both = a.filter((k) => b.includes(k));
    expect(both, `regions run in both shards: [${both.join(', ')}]`).toEqual([]);
    const merged = shards
        .flatMap((s) => s.records)
        .map(verdictLine)
        .sort(),
      whole = unsharded.map(verdictLine).sort();
    expect(
      merged,
      `merged shards (${merged.length} regions) against the unsharded run (${whole.length}); only in the ` +
        `shards: [${merged.filter((l) => !whole.includes(l)).join('; ')}], only unsharded: ` +
        `[${whole.filter((l) => !merged.includes(l)).join('; ')}]`,
    ).toEqual(whole);
  });

  it("should merge the shards' Allure results into one report holding exactly the unsharded run's claims and verdicts", async () => {
    const merged = new Map([...allureVerdicts(shards[0].results), ...allureVerdicts(shards[1].results)]);
    const main = allureVerdicts(ALLURE_RESULTS);
    // Read by labels that every region result carries: if they went missing both maps would be empty and agree.
    const mainRegions = [...main.keys()].sort(),
      measured = unsharded.map(key).sort();
    expect(
      mainRegions,
      `regions in the unsharded run's Allure results (${mainRegions.length}) against its records ` +
        `(${measured.length}); without a result: [${measured.filter((k) => !main.has(k)).join(', ')}]`,
    ).toEqual(measured);
    const mergedEntries = [...merged].sort(),
      mainEntries = [...main].sort();
    expect(
      mergedEntries,
      `merged Allure verdicts (${mergedEntries.length}) ${JSON.stringify(mergedEntries).slice(0, 600)} ` +
        `against the unsharded run's (${mainEntries.length}) ${JSON.stringify(mainEntries).slice(0, 600)}`,
    ).toEqual(mainEntries);
    const index = generateReport(
      shards.map((s) => s.results),
      join(work, 'report'),
      { history: false },
    );
    const { titles, externalRequests } = await renderedLeafTitles(index);
    expect(externalRequests, `requests the merged report tried to send out: [${externalRequests.join(', ')}]`).toEqual([]);
    const shown = [...titles].sort();
    const mainTitles = [...main.values()].map((v) => v.split(' | ')[0]).sort();
    expect(
      shown,
      `region titles rendered in the merged report (${shown.length}) against the unsharded run's ` +
        `(${mainTitles.length}); missing: [${mainTitles.filter((t) => !shown.includes(t)).join(', ')}]`,
    ).toEqual(mainTitles);
  }, 240_000);
});

describe('reproducibility', () => {
  it(`should give a byte-identical summary (claims.json) in ${REPEATED_RUNS} runs with the same seed`, () => {
    const runs = [
      { name: 'the unsharded run of npm test', evidence: [EVIDENCE], records: unsharded },
      { name: 'the merged shards', evidence: shards.map((s) => s.evidence), records: shards.flatMap((s) => s.records) },
    ];
    // A run counts when it measured regions and read only evidence it wrote itself: a shared evidence
    // directory would let a later run read an earlier run's records and agree with it trivially.
    const dirs = runs.flatMap((r) => r.evidence);
    const independent = runs.filter((r) => r.records.length > 0 && r.evidence.every((d) => dirs.indexOf(d) === dirs.lastIndexOf(d)));
    expect(
      independent.length,
      `independent runs [${independent.map((r) => r.name).join(', ')}] against the README's ` +
        `${REPEATED_RUNS}; regions per run ${runs.map((r) => r.records.length).join(', ')}; evidence ` +
        `directories: ${dirs.join(', ')}`,
    ).toBe(REPEATED_RUNS);
    const texts = runs.map((r) => summaryJson(r.records));
    for (const [i, run] of runs.entries()) {
      // The summary keeps only regions of registered claims: the comparison covers every region a run measured only if none was dropped.
      const summarised = (JSON.parse(texts[i]) as Summary).claims.flatMap((c) => c.regions.map(key)).sort();
      const measured = run.records.map(key).sort();
      expect(measured.length, `${run.name}: ${measured.length} regions measured, some expected`).toBeGreaterThan(0);
      expect(
        summarised,
        `${run.name}: regions in its summary (${summarised.length}) against regions measured ` +
          `(${measured.length}); dropped: [${measured.filter((k) => !summarised.includes(k)).join(', ')}]`,
      ).toEqual(measured);
    }
    for (let i = 1; i < texts.length; i++) {
      const at = [...texts[i]].findIndex((ch, k) => ch !== texts[0][k]);
      expect(
        texts[i],
        `${runs[i].name}'s summary (${texts[i].length} characters) differs from ${runs[0].name}'s ` +
          `(${texts[0].length}) at character ${at}: ` +
          `${JSON.stringify(texts[i].slice(Math.max(0, at - 80), at + 80))} against ` +
          `${JSON.stringify(texts[0].slice(Math.max(0, at - 80), at + 80))}`,
      ).toBe(texts[0]);
    }
  });

  it('should keep "holds" for every claim said to hold everywhere when the seed changes', () => {
    const everywhere = CLAIMS.filter((c) => RERUN_SECTIONS.includes(c.section) && c.regions.every((r) => r.expected === 'holds'));
    expect(everywhere.length, `claims said to hold everywhere in ${RERUN_SECTIONS.join(', ')}: ${everywhere.length}, some expected`).toBeGreaterThan(0);
    // The sweep's seed-1 run of every gradient claim is this check's other seed.
    const otherSeed = inSections(sweep.records);
    for (const claim of everywhere) {
      for (const r of otherSeed.filter((x) => x.claimId === claim.id))
        expect(
          r.measured,
          `${key(r)} with seed ${SWEEP_SEED}: measured ${r.measured} (${r.counts.holds}/${r.counts.fails}/${r.counts.broken}), holds expected`,
        ).toBe('holds');
    }
    const seeds = [...new Set(otherSeed.map((r) => r.seed))],
      mainSeeds = [...new Set(unsharded.map((r) => r.seed))];
    expect(
      otherSeed.some((r) => r.seed !== unsharded.find((u) => key(u) === key(r))?.seed),
      `the other seed sampled other cases: seeds recorded [${seeds.join(', ')}] against the main run's [${mainSeeds.join(', ')}]`,
    ).toBe(true);
  });

  it('should give the same verdicts on cpu and wasm, and key numbers within atol 1e-3 + rtol 1e-2, in every region that involved the backend', () => {
    const unknown = unsharded.filter((r) => r.backendUse === undefined).map(key);
    expect(unknown, `records of ${RERUN_SECTIONS.join(', ')} without backendUse (written by another version?)`).toEqual([]);
    expect(
      involved.length,
      `regions of ${RERUN_SECTIONS.join(', ')} that involved the tfjs backend: ${involved.length} of ${unsharded.length}, some expected`,
    ).toBeGreaterThan(0);
    const other = otherBackend.records.map(verdictLine).sort(),
      main = involved.map(verdictLine).sort();
    expect(
      other,
      `verdicts on the other backend (${other.length}) against ${mainBackend} (${main.length} regions that involved the backend; the other ` +
        `${unsharded.length - involved.length} ran no tfjs arithmetic kernel); only there: ` +
        `[${other.filter((l) => !main.includes(l)).join('; ')}], only on ${mainBackend}: ` +
        `[${main.filter((l) => !other.includes(l)).join('; ')}]`,
    ).toEqual(main);
    for (const r of otherBackend.records) {
      const m = unsharded.find((u) => key(u) === key(r))!;
      expect(r.backend, `${key(r)}: re-run on ${r.backend}, the main run on ${m.backend}; different backends expected`).not.toBe(m.backend);
      // The key numbers are the representative case's. Where a region's outcome rests on float32 rounding noise
      // (VG-FLOW-PRODUCT/layernorm-two-units), shrinking can end on another case on the other backend (found:
      // H2 D1 T24 seed 1 on cpu, H2 D8 T33 seed 2 on wasm); then the cases differ, and only verdict and counts compare.
      if ((r.counterexample?.subject ?? null) !== (m.counterexample?.subject ?? null)) continue;
      for (const [name, v] of Object.entries(r.numbers)) {
        const w = m.numbers[name];
        if (typeof v === 'number' && typeof w === 'number')
          expect(isClose(v, w, BACKEND_TOL), describeMismatch(`${key(r)} ${name}: ${r.backend} vs ${m.backend}`, v, w, BACKEND_TOL)).toBe(true);
        else expect(v, `${key(r)} ${name}: ${r.backend} ${JSON.stringify(v)}, ${m.backend} ${JSON.stringify(w)}`).toEqual(w);
      }
    }
  });
});
