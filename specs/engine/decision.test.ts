import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALPHA_PER_LOOK, EXCEPTION_SHARE, binomialCdf, casesForCleanVerdict, decide, lowerBound, upperBound } from '../../src/engine/decision.js';
import { isClose } from '../../src/numerics/close.js';

/** Issue 25: what holds, refuted and split mean, as a statistical decision with stated error rates. */
describe('the verdict rule', () => {
  it('should give exact Clopper–Pearson bounds: P(X ≤ k) = α at the upper bound, P(X ≥ k) = α at the lower', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.nat(), fc.constantFrom(0.05, 0.0125, 0.001), (n, kRaw, alpha) => {
        const k = kRaw % (n + 1);
        const [lo, hi] = [lowerBound(k, n, alpha), upperBound(k, n, alpha)];
        expect(lo <= k / n + 1e-12 && k / n <= hi + 1e-12, `${k}/${n}: [${lo}, ${hi}] should contain ${k / n}`).toBe(true);
        if (k < n)
          expect(isClose(binomialCdf(k, n, hi), alpha, { atol: 1e-9, rtol: 1e-6 }), `P(X ≤ ${k}; ${n}, ${hi}) = ${binomialCdf(k, n, hi)}, α = ${alpha}`).toBe(
            true,
          );
        if (k > 0)
          expect(
            isClose(1 - binomialCdf(k - 1, n, lo), alpha, { atol: 1e-9, rtol: 1e-6 }),
            `P(X ≥ ${k}; ${n}, ${lo}) = ${1 - binomialCdf(k - 1, n, lo)}, α = ${alpha}`,
          ).toBe(true);
      }),
      { numRuns: 200 },
    );
    // A published value: the two-sided 95% Clopper–Pearson interval of 3/20 is [0.0321, 0.3789].
    expect(
      [lowerBound(3, 20, 0.025), upperBound(3, 20, 0.025)].map((v) => v.toFixed(4)),
      'CP interval of 3/20',
    ).toEqual(['0.0321', '0.3789']);
  });

  it('should refute a universal claim with one counterexample and hold it with none', () => {
    expect(decide('universal', 99, 1, 0), '1 counterexample in 100').toBe('refuted');
    expect(decide('universal', 5, 0, 0), 'none in 5').toBe('holds');
    expect(decide('universal', 5, 0, 1), 'a broken case').toBe('numerically-broken');
  });

  it(`should decide a share claim only when a share is confidently below ${EXCEPTION_SHARE * 100}%, or both confidently above it`, () => {
    const n0 = casesForCleanVerdict();
    expect(decide('share', n0 - 1, 0, 0), `0 exceptions in ${n0 - 1}: too few to bound the share below ${EXCEPTION_SHARE}`).toBeNull();
    expect(decide('share', n0, 0, 0), `0 exceptions in ${n0}`).toBe('holds');
    expect(decide('share', 0, n0, 0), `0 holding in ${n0}`).toBe('refuted');
    expect(decide('share', 99, 1, 0), '1 exception in 100: holds, the exception listed').toBe('holds');
    expect(decide('share', 24, 2376, 0), '24 holding in 2400 (1%): refuted').toBe('refuted');
    expect(decide('share', 17, 8, 0), '17/25: both shares above 10%: split').toBe('mixed');
    expect(decide('share', 26, 4, 0), '26/30: neither decided: sample more').toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.nat(), (n, kRaw) => {
        const k = kRaw % (n + 1);
        const d = decide('share', k, n - k, 0);
        if (d === 'holds') expect(upperBound(n - k, n, ALPHA_PER_LOOK) < EXCEPTION_SHARE, `holds at ${k}/${n}`).toBe(true);
        if (d === 'refuted') expect(upperBound(k, n, ALPHA_PER_LOOK) < EXCEPTION_SHARE, `refuted at ${k}/${n}`).toBe(true);
        if (d === 'mixed')
          expect(lowerBound(k, n, ALPHA_PER_LOOK) > EXCEPTION_SHARE && lowerBound(n - k, n, ALPHA_PER_LOOK) > EXCEPTION_SHARE, `split at ${k}/${n}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
