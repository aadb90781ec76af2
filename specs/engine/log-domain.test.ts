import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/claims/judge.js';
import { RunCache } from '../../src/engine/run-cache.js';
import { compareRepresentable, type Measured } from '../../src/engine/measured.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { log10NormsOfPowers } from '../../src/linalg/powers.js';
import { isClose } from '../../src/numerics/close.js';

const matrix = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) });
const TOL = { atol: 1e-9, rtol: 1e-9 };

describe('norms of matrix powers in the log domain', () => {
  it("should give n·log10 s for a diagonal contraction, far below float64's range", () => {
    const out = log10NormsOfPowers(
      matrix([
        [0.01, 0],
        [0, 0.5],
      ]),
      400,
    );
    for (const n of [1, 10, 200, 400]) {
      const expected = n * Math.log10(0.5);
      expect(isClose(out[n - 1], expected, TOL), `log10‖W^${n}‖ = ${out[n - 1]} against ${expected}`).toBe(true);
    }
  });

  it('should follow a non-normal contraction whose powers underflow float64 (the seed-2 case of VG-SPECNORM-POWER)', () => {
    // W = [[a, 1], [0, a]]: Wⁿ = [[aⁿ, n·aⁿ⁻¹], [0, aⁿ]], so ‖Wⁿ‖₂ ≈ n·aⁿ⁻¹ for small a.
    const a = 0.01;
    const out = log10NormsOfPowers(
      matrix([
        [a, 1],
        [0, a],
      ]),
      200,
    );
    const n = 200,
      expected = Math.log10(n) + (n - 1) * Math.log10(a);
    expect(expected < -307, `the true norm 10^${expected.toFixed(1)} is below float64's range`).toBe(true);
    expect(Number.isFinite(out[n - 1]) && isClose(out[n - 1], expected, { atol: 1e-6, rtol: 0 }), `log10‖W^200‖ = ${out[n - 1]} against ${expected}`).toBe(
      true,
    );
  });

  it('should stay finite and non-increasing past the norm for any contraction with extreme but valid sizes and scales', () => {
    const contraction = fc
      .integer({ min: 1, max: 6 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }),
          fc.double({ min: 1e-12, max: 0.999, noNaN: true }),
        ),
      );
    fc.assert(
      fc.property(contraction, ([n, entries, scale]) => {
        const raw = matrix(Array.from({ length: n }, (_, i) => entries.slice(i * n, (i + 1) * n)));
        const frob = Math.hypot(...raw.data);
        fc.pre(frob > 1e-300);
        // Rescaled so that ‖W‖_F = scale < 1, hence ‖W‖₂ ≤ scale: a contraction, whatever its shape.
        const w = { ...raw, data: raw.data.map((v) => (v / frob) * scale) };
        const out = log10NormsOfPowers(w, 60);
        out.forEach((y, k) => {
          expect(!Number.isNaN(y) && y !== Infinity, `log10‖W^${k + 1}‖ = ${y} (n ${n}, scale ${scale})`).toBe(true);
          // Submultiplicativity: ‖Wⁿ‖ ≤ ‖W‖ⁿ ≤ scaleⁿ, within the power iteration's tolerance.
          expect(y <= (k + 1) * Math.log10(scale) + 1e-6, `log10‖W^${k + 1}‖ = ${y} above ${(k + 1) * Math.log10(scale)}`).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('should refuse a non-square matrix or a bad power count, naming the argument', () => {
    expect(() => log10NormsOfPowers(matrix([[1, 2]]), 3), 'non-square').toThrow(/square/);
    expect(() => log10NormsOfPowers(matrix([[0.5]]), 0), 'nMax 0').toThrow(/nMax/);
  });
});

describe('comparing two series over what both represent', () => {
  const series = (values: (number | null)[], source: Measured['source'] = 'tfjs-f32', overflow: boolean[] = values.map(() => false)): Measured => ({
    values,
    source,
    underflow: values.map((v) => v === null && !overflow[values.indexOf(v)]),
    overflow,
  });

  it('should compare only steps both represent and count the others by reason, never returning ±∞', () => {
    const tfjs = series([-1, -20, null, null, NaN]);
    const oracle = series([-1.5, -20, -45, -Infinity, -60], 'oracle-f64');
    const c = compareRepresentable(tfjs, oracle);
    expect(c.compared, `compared steps ${c.compared}`).toBe(2);
    expect(c.maxDifference, `largest difference ${c.maxDifference}`).toBe(0.5);
    expect(c.worstStep, `worst step ${c.worstStep}`).toBe(0);
    expect(c.skipped, `skipped ${JSON.stringify(c.skipped)}`).toEqual({ underflow: 2, overflow: 1 });
  });

  it('should never produce a non-finite difference, whatever the values', () => {
    const value = fc.oneof(fc.double(), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 50 }), (pairs) => {
        const c = compareRepresentable(
          series(pairs.map((p) => p[0])),
          series(
            pairs.map((p) => p[1]),
            'oracle-f64',
          ),
        );
        expect(Number.isFinite(c.maxDifference) || c.compared === 0, `maxDifference ${c.maxDifference} over ${c.compared} steps`).toBe(true);
        expect(c.compared + c.skipped.underflow + c.skipped.overflow, 'every step accounted for').toBe(pairs.length);
      }),
    );
  });
});

describe('a series that left its range decides nothing', () => {
  it('should make a case numerically broken, naming the series and the step, when a judged series overflowed or the oracle gave NaN', () => {
    const tfjs: Measured = { values: [1, NaN, 0.5], source: 'tfjs-f32', underflow: [false, false, false], overflow: [false, true, false] };
    const a = judge(true, { x: 1 }, undefined, [tfjs]);
    expect([a.holds, a.broken], `judge on an overflowed tfjs series: ${JSON.stringify(a)}`).toEqual([null, 'tfjs float32 series overflowed at step 1']);
    const oracle: Measured = { values: [1, NaN], source: 'oracle-f64', underflow: [false, false], overflow: [false, false] };
    const b = judge(true, { x: 1 }, undefined, [oracle]);
    expect([b.holds, b.broken], `judge on a NaN oracle series: ${JSON.stringify(b)}`).toEqual([null, 'float64 oracle series is NaN at step 1']);
    const zero: Measured = { values: [0, -Infinity], source: 'oracle-f64', underflow: [false, false], overflow: [false, false] };
    expect(judge(true, { x: 1 }, undefined, [zero]).holds, 'an exact zero (−∞ in log10) is a value, not a failure').toBe(true);
  });
});

describe('the run cache', () => {
  it('should clear a full scope before a write and keep serving what a caller read before it', () => {
    const cache = new RunCache();
    const scope = cache.scope<number>('s', 3);
    for (const k of ['a', 'b', 'c']) scope.set(k, k.charCodeAt(0));
    const before = scope.get('a');
    scope.set('d', 100);
    expect([before, scope.get('a'), scope.get('d'), scope.size], `read before the write, after it, the new entry, the size`).toEqual([97, undefined, 100, 1]);
  });
});
