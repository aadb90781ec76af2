/**
 * The one closeness test of the project, with numpy.isclose's semantics:
 * |actual − expected| ≤ atol + rtol·|expected| (asymmetric: the tolerance scales with the
 * expected value). NaN is never close to anything; an infinity is close only to the same
 * infinity. Gradients that can be tiny are compared in log10 with `isCloseLog10`.
 */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

export function isClose(actual: number, expected: number, { atol, rtol }: Tolerance): boolean {
  if (Number.isNaN(actual) || Number.isNaN(expected)) return false;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** First index where two equally long sequences are not close, or -1; a length mismatch is index 0. */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance): number {
  if (actual.length !== expected.length) return 0;
  for (let i = 0; i < actual.length; i++) if (!isClose(actual[i], expected[i], tolerance)) return i;
  return -1;
}

/**
 * Compares magnitudes given as log10 values: |log10 a − log10 e| ≤ decades. A null (an
 * underflowed float32 value) is close to nothing, so an underflow can never pass as a match.
 */
export function isCloseLog10(actual: number | null, expected: number | null, decades: number): boolean {
  if (actual === null || expected === null) return false;
  return isClose(actual, expected, { atol: decades, rtol: 0 });
}

/** A message for an assertion: what was compared, the values and the tolerance. */
export function describeMismatch(what: string, actual: number, expected: number, tolerance: Tolerance): string {
  const allowed = tolerance.atol + tolerance.rtol * Math.abs(expected);
  return (
    `${what}: actual ${actual} vs expected ${expected}; |diff| ${Math.abs(actual - expected)} > atol ` +
    `${tolerance.atol} + rtol ${tolerance.rtol}·|expected| = ${allowed}`
  );
}
