import { describe, expect, it } from 'vitest';
import { EVALUATION_BATCH, runRegion } from '../../src/engine/run-region.js';
import { type Claim, type RealDomain, type Region, UNCONDITIONAL } from '../../src/engine/types.js';

/**
 * runRegion hands the claim its subjects in batches of at most EVALUATION_BATCH (memory: a
 * batch's evidence lives until its evaluations return), in order, and batching changes no result.
 */

function claimOver(region: Region<RealDomain>, batches: number[], holds: (x: number) => boolean): Claim<RealDomain> {
  return {
    id: 'TEST-BATCHES',
    section: 'The Core Problem',
    kind: 'empirical',
    statement: 'test',
    predicate: 'test',
    premise: { text: UNCONDITIONAL },
    regions: [region],
    async evaluate(subjects) {
      batches.push(subjects.length);
      return subjects.map((x) => ({ holds: holds(x), numbers: { x } }));
    },
  };
}

describe('runRegion: evaluation in batches', () => {
  it(`should evaluate ${2 * EVALUATION_BATCH + 37} sampled subjects in batches of ${EVALUATION_BATCH}, then the rest, every case kept in order`, async () => {
    const region: Region<RealDomain> = {
      id: 'reals',
      description: 'reals',
      domain: { kind: 'real', min: -1, max: 1 },
      role: 'premise',
      expected: 'holds',
      runs: 2 * EVALUATION_BATCH + 37,
    };
    const batches: number[] = [];
    const result = await runRegion(
      claimOver(region, batches, () => true),
      region,
      7,
    );
    expect(batches, 'batch sizes of the evaluate calls').toEqual([EVALUATION_BATCH, EVALUATION_BATCH, 37]);
    expect(result.counts, 'every case evaluated once').toEqual({ holds: 2 * EVALUATION_BATCH + 37, fails: 0, broken: 0, outside: 0 });
    expect(
      result.cases.map((c) => c.evaluation.numbers.x),
      'each evaluation belongs to its own subject',
    ).toEqual(result.cases.map((c) => c.subject));
  });

  it('should give the same verdict, counts and counterexample as one batch would (a predicate that fails on about half the subjects)', async () => {
    const region: Region<RealDomain> = {
      id: 'reals',
      description: 'reals',
      domain: { kind: 'real', min: -1, max: 1 },
      role: 'premise',
      expected: 'holds',
      runs: 3 * EVALUATION_BATCH,
    };
    const holds = (x: number): boolean => x < 0;
    const batched = await runRegion(claimOver(region, [], holds), region, 11);
    const expected = batched.cases.map((c) => holds(c.subject as number));
    expect(
      batched.cases.map((c) => c.evaluation.holds),
      'each case judged on its own subject',
    ).toEqual(expected);
    expect(batched.counts.holds + batched.counts.fails, 'cases').toBe(3 * EVALUATION_BATCH);
    expect(batched.verdict, 'a predicate that fails at x ≥ 0 on [−1, 1] is split').toBe('mixed');
    expect(batched.counterexample?.evaluation.holds, 'the counterexample fails').toBe(false);
  });
});
