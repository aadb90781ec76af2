import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegionRecord } from '../../src/report/region-record.js';
import type { RunSelection } from '../../src/report/run-label.js';

/** A refuted region record (25 cases, none holding) as `vg verify` writes one, with `fields` over it: the specs' one record fixture. */
export function regionRecordFixture(fields: Partial<RegionRecord> = {}): RegionRecord {
  return {
    claimId: 'VG-X',
    section: 'S',
    regionId: 'r',
    region: 'r',
    expected: 'refuted',
    measured: 'refuted',
    matches: true,
    seed: 1,
    runs: 25,
    counts: { holds: 0, fails: 25, broken: 0 },
    numbers: {},
    counterexample: null,
    broken: null,
    backend: 'cpu',
    ...fields,
  };
}

/**
 * A small `vg verify` run written by hand: a run directory with its run.json and allure-results
 * holding region results as src/report/allure.ts writes them (labels, a numbers.json step) with
 * vitest's status (passed when the verdict matched the expectation), and one overview result.
 */

/** One region of the fixture. */
export interface FixtureRegion {
  readonly claim: string;
  readonly region: string;
  readonly measured: string;
  readonly expected: string;
  readonly holds: number;
  readonly fails: number;
  readonly broken?: number;
  readonly rule?: RegionRecord['rule'];
}

/** The regions of {@link writeFixtureRun}: a refutation, a holding claim, a split, a broken measurement and a regression (refuted where holds is registered). */
export const FIXTURE_REGIONS: readonly FixtureRegion[] = [
  { claim: 'VG-FIX-REFUTED', region: 'as-written', measured: 'refuted', expected: 'refuted', holds: 0, fails: 25, rule: 'share' },
  { claim: 'VG-FIX-HOLDS', region: 'small-weights', measured: 'holds', expected: 'holds', holds: 60, fails: 0, rule: 'universal' },
  { claim: 'VG-FIX-SPLIT', region: 'any-scale', measured: 'mixed', expected: 'mixed', holds: 12, fails: 13, rule: 'share' },
  { claim: 'VG-FIX-BROKEN', region: 'overflow', measured: 'numerically-broken', expected: 'numerically-broken', holds: 0, fails: 0, broken: 25, rule: 'share' },
  { claim: 'VG-FIX-REGRESSED', region: 'lstm', measured: 'refuted', expected: 'holds', holds: 0, fails: 25, rule: 'share' },
];

/** The overview result's name (a result with no verdict, left as vitest wrote it). */
export const FIXTURE_OVERVIEW = 'Training overview (fixture): charts';

/** The partial run's selection the fixture's run.json records. */
export const FIXTURE_SELECTION: RunSelection = {
  claims: FIXTURE_REGIONS.map((r) => r.claim),
  sections: [],
  verdicts: [],
  backend: 'cpu',
  seed: 7,
  seeds: [],
  runs: null,
  shard: null,
  training: 'reduced',
  config: null,
  record: false,
};

/** What {@link writeFixtureRun} wrote: the results directory and each region's result uuid, by `CLAIM [region]`. */
export interface FixtureRun {
  readonly dir: string;
  readonly results: string;
  readonly uuids: ReadonlyMap<string, string>;
}

/** Writes the fixture run into `<parent>/runs/20261207T120000Z-partial`. */
export function writeFixtureRun(parent: string): FixtureRun {
  const id = '20261207T120000Z-partial';
  const dir = join(parent, 'runs', id),
    results = join(dir, 'allure-results');
  mkdirSync(results, { recursive: true });
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({
      id,
      kind: 'partial',
      options: FIXTURE_SELECTION,
      started: '2026-12-07T12:00:00.000Z',
      finished: '2026-12-07T12:01:00.000Z',
      status: 1,
      regions: FIXTURE_REGIONS.length,
      evidence: ['evidence'],
    }),
  );
  const uuids = new Map<string, string>();
  let t = 1_796_000_000_000;
  for (const r of FIXTURE_REGIONS) {
    const uuid = randomUUID(),
      attachment = `${randomUUID()}-attachment.json`;
    const counts = { holds: r.holds, fails: r.fails, broken: r.broken ?? 0, outside: 0 };
    const matches = r.measured === r.expected;
    const record: RegionRecord = {
      claimId: r.claim,
      section: 'Fixture Section',
      regionId: r.region,
      region: `fixture region ${r.region}`,
      expected: r.expected,
      measured: r.measured,
      matches,
      seed: 7,
      runs: r.holds + r.fails + (r.broken ?? 0),
      counts,
      numbers: {},
      counterexample: null,
      broken: null,
      backend: 'cpu',
      rule: r.rule,
      role: 'premise',
    };
    writeFileSync(join(results, attachment), JSON.stringify(record));
    const labels = [
      ['framework', 'vitest'],
      ['verdict', r.measured],
      ['role', 'premise'],
      ['expected', r.expected],
      ['epic', '01 · Fixture Section'],
      ['feature', `${r.claim} — ${r.expected}`],
      ['story', r.region],
      ['claim', r.claim],
      ['section', 'Fixture Section'],
      ['claimKind', 'empirical'],
    ].map(([name, value]) => ({ name, value }));
    // vitest's status: passed when the verdict matched its expectation, failed (with the assertion) when not.
    const statusDetails = matches ? {} : { message: `expected '${r.measured}' to be '${r.expected}'`, trace: 'AssertionError: at fixture' };
    writeFileSync(
      join(results, `${uuid}-result.json`),
      JSON.stringify({
        uuid,
        name: `${r.region} — ${r.measured} ${r.holds}/${r.holds + r.fails + (r.broken ?? 0)}`,
        fullName: `fixture#${r.claim} [${r.region}]`,
        historyId: `${r.claim}/${r.region}:0`,
        testCaseId: `${r.claim}/${r.region}`,
        status: matches ? 'passed' : 'failed',
        statusDetails,
        stage: 'finished',
        start: t,
        stop: t + 10,
        labels,
        parameters: [
          { name: 'cases', value: String(record.runs) },
          { name: 'backend', value: 'cpu', excluded: true },
        ],
        steps: [{ name: 'numbers.json', attachments: [{ name: 'numbers.json', source: attachment, type: 'application/json' }], start: t, stop: t, steps: [] }],
        attachments: [],
        links: [],
      }),
    );
    uuids.set(`${r.claim} [${r.region}]`, uuid);
    t += 1000;
  }
  writeFileSync(
    join(results, `${randomUUID()}-result.json`),
    JSON.stringify({
      uuid: randomUUID(),
      name: FIXTURE_OVERVIEW,
      fullName: 'fixture#overview',
      status: 'passed',
      statusDetails: {},
      stage: 'finished',
      start: t,
      stop: t + 1,
      labels: [
        { name: 'epic', value: 'Training experiments' },
        { name: 'overview', value: 'training' },
      ],
      parameters: [],
      steps: [],
      attachments: [],
      links: [],
    }),
  );
  return { dir, results, uuids };
}
