import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { bandOf } from '../../src/engine/bands.js';
import type { Claim, Domain } from '../../src/engine/types.js';
import { verifyOptions } from '../../src/cli/options.js';
import type { RegionRecord } from '../../src/report/region-record.js';
import { NOT_MEASURED, compareSeeds, instabilityReport, poolRecords, pooledVerdict } from '../../src/report/sweep.js';

/** A minimal record of a region's run with one seed. */
function record(
  claimId: string,
  regionId: string,
  seed: number,
  holds: number,
  fails: number,
  expected = 'holds',
  counterexample: string | null = null,
): RegionRecord {
  const measured = pooledVerdict(holds, fails, 0);
  return {
    claimId,
    section: 'Eigenvalue Perspective',
    regionId,
    region: regionId,
    expected,
    measured,
    matches: measured === expected,
    seed,
    runs: holds + fails,
    counts: { holds, fails, broken: 0 },
    numbers: {},
    key: { name: 'gamma', min: 0.5, max: seed / 1000, cases: holds + fails, missing: 0 },
    counterexample: counterexample ? { subject: counterexample, config: null, path: '0', shrinks: 0, numbers: {} } : null,
    broken: null,
    backend: 'cpu',
  };
}

const claim = (id: string, regions: { id: string; expected: 'holds' | 'mixed'; band?: ReturnType<typeof bandOf> }[]): Claim<Domain> =>
  ({
    id,
    section: 'Eigenvalue Perspective',
    kind: 'empirical',
    statement: '',
    predicate: '',
    premise: { text: 'unconditional' },
    regions: regions.map((r) => ({ ...r, role: 'premise', description: '', runs: 25, domain: { kind: 'seed', min: 1, max: 9 } })),
    evaluate: async () => [],
  }) as unknown as Claim<Domain>;

describe('seed sweep: a verdict must survive another seed', () => {
  const stable = [record('VG-A', 'r', 1, 25, 0), record('VG-A', 'r', 2, 25, 0)];
  const flipped = [record('VG-B', 'orthogonal', 1, 60, 0), record('VG-B', 'orthogonal', 2, 59, 1, 'holds', 'rnn/tanh H33 seed 6')];

  it('should find the region whose verdict differs between seeds and name its counts and counterexample', () => {
    const swept = compareSeeds([
      { seed: 1, records: [stable[0], flipped[0]] },
      { seed: 2, records: [stable[1], flipped[1]] },
    ]);
    expect(
      swept.map((s) => `${s.claimId}/${s.regionId}:${s.stable}`),
      'stability by region',
    ).toEqual(['VG-A/r:true', 'VG-B/orthogonal:false']);
    const report = instabilityReport(swept);
    for (const piece of ['VG-B [orthogonal]', 'seed 1: holds (60 hold / 0 fail', 'seed 2: mixed (59 hold / 1 fail', 'rnn/tanh H33 seed 6']) {
      expect(report.includes(piece), `the report names ${piece}:\n${report}`).toBe(true);
    }
    expect(
      instabilityReport(
        compareSeeds([
          { seed: 1, records: [stable[0]] },
          { seed: 2, records: [stable[1]] },
        ]),
      ),
      'a stable sweep reports nothing',
    ).toBe('');
  });

  it('should report a region a seed did not measure as unstable, not pool it from the others', () => {
    const swept = compareSeeds([
      { seed: 1, records: stable },
      { seed: 2, records: [] },
    ]);
    expect(
      swept.map((r) => `${r.claimId}/${r.regionId}:${r.stable}:${r.runs.map((x) => x.verdict).join('|')}`),
      'a region missing with seed 2',
    ).toEqual([`VG-A/r:false:holds|${NOT_MEASURED}`]);
    expect(instabilityReport(swept).includes(`seed 2: ${NOT_MEASURED}`), `report: ${instabilityReport(swept)}`).toBe(true);
  });

  it("should keep a pooled record's counterexample with the seed that replays it, and pool no range across different key numbers", () => {
    const claims = [claim('VG-B', [{ id: 'orthogonal', expected: 'mixed', band: bandOf(49, 50) }])];
    const a = record('VG-B', 'orthogonal', 11, 25, 0),
      b = { ...record('VG-B', 'orthogonal', 22, 24, 1, 'holds', 'rnn/tanh H33 seed 6'), key: { name: 'other', min: 1, max: 2, cases: 25, missing: 0 } };
    const [p] = poolRecords(claims, [
      { seed: 1, records: [a] },
      { seed: 2, records: [b] },
    ]);
    expect([p.seed, p.counterexample?.subject], `pooled seed ${p.seed} with counterexample ${p.counterexample?.subject}`).toEqual([22, 'rnn/tanh H33 seed 6']);
    expect(p.key, `key ranges named gamma and other: ${JSON.stringify(p.key)}`).toBeNull();
  });

  it("should publish pooled counts, the pooled verdict under the decision rule and every seed's run", () => {
    const claims = [claim('VG-A', [{ id: 'r', expected: 'holds' }]), claim('VG-B', [{ id: 'orthogonal', expected: 'holds' }])];
    const pooled = poolRecords(claims, [
      { seed: 1, records: [stable[0], flipped[0]] },
      { seed: 2, records: [stable[1], flipped[1]] },
    ]);
    const b = pooled.find((r) => r.claimId === 'VG-B')!;
    expect(b.counts, `pooled counts ${JSON.stringify(b.counts)}`).toEqual({ holds: 119, fails: 1, broken: 0, outside: 0 });
    expect(b.measured, 'pooled verdict: 1 exception in 120 bounds the failing share below 10%').toBe('holds');
    expect(b.matches, 'holds, as expected').toBe(true);
    expect(
      b.sweep.map((s) => `${s.seed}:${s.verdict}`),
      'per-seed runs',
    ).toEqual(['1:holds', '2:mixed']);
    expect(b.key, 'key range over both seeds').toEqual({ name: 'gamma', min: 0.5, max: 0.002, cases: 120, missing: 0 });
    expect(b.counterexample?.subject, 'the counterexample of the seed that found one').toBe('rnn/tanh H33 seed 6');
    const a = pooled.find((r) => r.claimId === 'VG-A')!;
    expect([a.measured, a.matches, a.runs], 'a clean region stays clean').toEqual(['holds', true, 50]);
  });

  it('should validate --seeds: distinct integers, at least 2, not with --seed or --shard', () => {
    expect(verifyOptions({ seeds: '424242,1,2' }).seeds, 'parsed seeds').toEqual([424242, 1, 2]);
    for (const [raw, why] of [
      [{ seeds: '1' }, 'one seed'],
      [{ seeds: '1,1' }, 'repeated'],
      [{ seeds: '1,x' }, 'not an integer'],
      [{ seeds: '1,2', seed: '3' }, 'with --seed'],
      [{ seeds: '1,2', shard: '1/2' }, 'with --shard'],
    ] as const) {
      let error: unknown = null;
      try {
        verifyOptions(raw as Record<string, string>);
      } catch (e) {
        error = e;
      }
      expect(
        error instanceof ConfigError && error.field === '--seeds',
        `--seeds ${JSON.stringify(raw)} (${why}) should be a ConfigError naming --seeds; got ${String(error)}`,
      ).toBe(true);
    }
  });
});
