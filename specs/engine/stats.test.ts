import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeMismatch, isClose } from '../../src/numerics/close.js';
import { StatsInputError, linearFit, mean, median } from '../../src/numerics/stats.js';

/** Exact lines are recovered to rounding: |x|, |slope| and |intercept| ≤ 1000 keep the error near 1e-16·1e6. */
const LINE_TOL = { atol: 1e-8, rtol: 1e-9 };

/** Finite values of moderate size (no NaN, no infinities). */
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
/** Two or more distinct integer x in [−1000, 1000]: S_xx ≥ 1/2, so the line is well determined. */
const distinctXs = fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 40 });
const coefficient = fc.double({ min: -1000, max: 1000, noNaN: true });

/** A NaN or an infinity, the values every statistic refuses. */
const nonFinite = fc.constantFrom(NaN, Infinity, -Infinity);

/** Calls `f` and returns what it threw, or null. */
function thrown(f: () => unknown): unknown {
  try {
    f();
    return null;
  } catch (error) {
    return error;
  }
}

/** Asserts that `f` throws a StatsInputError from `fn` naming `argument`. */
function expectRefused(f: () => unknown, fn: string, argument: string, why: string): void {
  const error = thrown(f);
  expect(error instanceof StatsInputError && error instanceof RangeError, `${why}: expected a StatsInputError (a RangeError), got ${String(error)}`).toBe(true);
  const e = error as StatsInputError;
  expect([e.fn, e.argument], `${why}: the error should name ${fn} and ${argument}: "${e.message}"`).toEqual([fn, argument]);
  expect(e.message.startsWith(`${fn}: ${argument} `), `${why}: message "${e.message}" should start with "${fn}: ${argument}"`).toBe(true);
}

describe('median', () => {
  it('should give the middle value for an odd count and the mean of the two middle values for an even count', () => {
    expect(median([3, 1, 2]), 'median of [3, 1, 2]').toBe(2);
    expect(median([4, 1, 3, 2]), 'median of [4, 1, 3, 2]').toBe(2.5);
    expect(median([7]), 'median of one value').toBe(7);
  });

  it('should not depend on the order of the values, and leave them untouched', () => {
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 1, maxLength: 50 }).chain((v) => fc.tuple(fc.constant(v), fc.shuffledSubarray(v, { minLength: v.length }))),
        ([values, permuted]) => {
          const copy = [...values];
          const [a, b] = [median(values), median(permuted)];
          expect(a, `median ${a} of ${JSON.stringify(values)} vs ${b} of the permutation ${JSON.stringify(permuted)}`).toBe(b);
          expect(values, 'median must not sort its argument in place').toEqual(copy);
        },
      ),
    );
  });

  it('should lie between the minimum and the maximum, with at least half the values on each side', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 50 }), (values) => {
        const m = median(values);
        const below = values.filter((v) => v <= m).length,
          above = values.filter((v) => v >= m).length;
        expect(m >= Math.min(...values) && m <= Math.max(...values), `median ${m} outside [${Math.min(...values)}, ${Math.max(...values)}]`).toBe(true);
        expect(
          2 * below >= values.length && 2 * above >= values.length,
          `median ${m} of ${values.length} values: ${below} at or below, ${above} at or above`,
        ).toBe(true);
      }),
    );
  });

  it('should refuse an empty list and any NaN or infinity, naming the argument', () => {
    expectRefused(() => median([]), 'median', 'values', 'empty list');
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 10 }), nonFinite, fc.nat(), (values, bad, at) => {
        const withBad = [...values];
        withBad.splice(at % (values.length + 1), 0, bad);
        expectRefused(() => median(withBad), 'median', 'values', `${bad} in ${JSON.stringify(withBad.map(String))}`);
      }),
    );
  });
});

describe('mean', () => {
  it('should give the value of a constant list and the sum over the count otherwise', () => {
    fc.assert(
      fc.property(finite, fc.integer({ min: 1, max: 50 }), (v, n) => {
        const m = mean(Array.from({ length: n }, () => v));
        const tol = { atol: 1e-9, rtol: 1e-12 };
        expect(isClose(m, v, tol), describeMismatch(`mean of ${n} copies of ${v}`, m, v, tol)).toBe(true);
      }),
    );
    expect(mean([1, 2, 3, 6]), 'mean of [1, 2, 3, 6]').toBe(3);
  });

  it('should refuse an empty list and any NaN or infinity, naming the argument', () => {
    expectRefused(() => mean([]), 'mean', 'values', 'empty list');
    expectRefused(() => mean([1, NaN]), 'mean', 'values', 'NaN at index 1');
    expectRefused(() => mean([-Infinity]), 'mean', 'values', '−∞');
  });
});

describe('linearFit', () => {
  it('should recover the slope and intercept of an exact line, with R² = 1', () => {
    fc.assert(
      fc.property(distinctXs, coefficient, coefficient, (xs, slope, intercept) => {
        const ys = xs.map((x) => intercept + slope * x);
        const fit = linearFit(xs, ys);
        const at = `y = ${intercept} + ${slope}·x over ${xs.length} points`;
        expect(isClose(fit.slope, slope, LINE_TOL), describeMismatch(`${at}: slope`, fit.slope, slope, LINE_TOL)).toBe(true);
        expect(
          isClose(fit.intercept, intercept, { atol: 1e-6, rtol: 1e-9 }),
          describeMismatch(`${at}: intercept`, fit.intercept, intercept, { atol: 1e-6, rtol: 1e-9 }),
        ).toBe(true);
        expect(isClose(fit.r2, 1, LINE_TOL), describeMismatch(`${at}: R²`, fit.r2, 1, LINE_TOL)).toBe(true);
      }),
    );
  });

  it('should keep R² in [0, 1] and never return NaN, for tiny and huge values alike', () => {
    const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(anyFinite, anyFinite), { minLength: 1, maxLength: 30 }), (pairs) => {
        const fit = linearFit(
          pairs.map((p) => p[0]),
          pairs.map((p) => p[1]),
        );
        expect(fit.r2 >= 0 && fit.r2 <= 1, `R² ${fit.r2} outside [0, 1] for ${JSON.stringify(pairs)}`).toBe(true);
        expect(Number.isNaN(fit.slope) || Number.isNaN(fit.intercept), `slope ${fit.slope}, intercept ${fit.intercept} for ${JSON.stringify(pairs)}`).toBe(
          false,
        );
      }),
    );
  });

  it('should not depend on the order of the (x, y) pairs, to rounding', () => {
    // Integer data in ±1000: a reordered sum changes only the last bits, so the fits agree to 1e-9.
    const pairs = fc.uniqueArray(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 })), {
      minLength: 2,
      maxLength: 30,
      selector: (p) => p[0],
    });
    const tol = { atol: 1e-9, rtol: 1e-9 };
    fc.assert(
      fc.property(
        pairs.chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray(p, { minLength: p.length }))),
        ([p, q]) => {
          const a = linearFit(
            p.map((v) => v[0]),
            p.map((v) => v[1]),
          );
          const b = linearFit(
            q.map((v) => v[0]),
            q.map((v) => v[1]),
          );
          for (const key of ['slope', 'intercept', 'r2'] as const) {
            expect(
              isClose(b[key], a[key], tol),
              describeMismatch(`${key} of ${JSON.stringify(q)} against the same pairs in the order ${JSON.stringify(p)}`, b[key], a[key], tol),
            ).toBe(true);
          }
        },
      ),
    );
  });

  it('should give the fit of scaled data scaled: x by 2^i and y by 2^j change the slope by 2^(j−i) and the intercept by 2^j, bit for bit', () => {
    fc.assert(
      fc.property(
        distinctXs,
        fc.array(coefficient, { minLength: 40, maxLength: 40 }),
        fc.integer({ min: -900, max: 900 }),
        fc.integer({ min: -900, max: 900 }),
        (xs, noise, i, j) => {
          const ys = xs.map((x, k) => 0.5 * x + noise[k]);
          const fit = linearFit(xs, ys);
          const scaled = linearFit(
            xs.map((x) => x * 2 ** i),
            ys.map((y) => y * 2 ** j),
          );
          const expected = { slope: fit.slope * 2 ** (j - i), intercept: fit.intercept * 2 ** j, r2: fit.r2 };
          expect(scaled, `fit of x·2^${i}, y·2^${j} against the fit of ${xs.length} points scaled`).toEqual(expected);
        },
      ),
    );
  });

  it('should fit a horizontal line with R² = 1 when every y is equal, whatever the x', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 30 }), finite, (xs, y) => {
        const fit = linearFit(
          xs,
          xs.map(() => y),
        );
        expect(fit, `constant y = ${y} over x ${JSON.stringify(xs)}`).toEqual({ slope: 0, intercept: y, r2: 1 });
      }),
    );
  });

  it('should fit the horizontal line through the mean with R² = 0 when every x is equal and y is not (one point included)', () => {
    fc.assert(
      fc.property(
        finite,
        fc.array(finite, { minLength: 2, maxLength: 30 }).filter((ys) => ys.some((y) => y !== ys[0])),
        (x, ys) => {
          const fit = linearFit(
            ys.map(() => x),
            ys,
          );
          const tol = { atol: 1e-300, rtol: 1e-12 };
          expect([fit.slope, fit.r2], `slope and R² for all x = ${x}, y ${JSON.stringify(ys)}`).toEqual([0, 0]);
          expect(
            isClose(fit.intercept, mean(ys), tol),
            describeMismatch(`intercept for all x = ${x}, y ${JSON.stringify(ys)}`, fit.intercept, mean(ys), tol),
          ).toBe(true);
        },
      ),
    );
    expect(linearFit([5], [2]), 'one point').toEqual({ slope: 0, intercept: 2, r2: 1 });
  });

  it('should refuse empty lists, lists of different lengths and any NaN or infinity, naming the argument', () => {
    expectRefused(() => linearFit([], []), 'linearFit', 'xs', 'both lists empty');
    expectRefused(() => linearFit([1, 2], []), 'linearFit', 'ys', 'empty ys');
    expectRefused(() => linearFit([1, 2, 3], [1, 2]), 'linearFit', 'ys', 'three x, two y');
    fc.assert(
      fc.property(distinctXs, nonFinite, fc.nat(), fc.boolean(), (xs, bad, at, inX) => {
        const ys = xs.map((x) => 2 * x);
        const target = inX ? [...xs] : ys;
        target[at % target.length] = bad;
        expectRefused(
          () => linearFit(inX ? target : xs, inX ? ys : target),
          'linearFit',
          inX ? 'xs' : 'ys',
          `${bad} at index ${at % target.length} of ${inX ? 'xs' : 'ys'}`,
        );
      }),
    );
  });
});
