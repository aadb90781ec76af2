/** The smallest positive normal float32; below it float32 keeps few or no significant bits. */
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/**
 * A series of magnitudes carried as log10, with an explicit flag where float32 could not
 * represent them: a flagged entry has log10 null, never a silent 0 or −∞.
 */
export interface Log10Series {
  /** log10 of each magnitude, or null where it underflowed. NaN marks a non-finite value. */
  readonly log10: ReadonlyArray<number | null>;
  /** True where every entry of the vector was below float32's normal range (including exact 0). */
  readonly underflow: readonly boolean[];
}

/**
 * log10 of the Euclidean norm of a float32 vector, computed in float64 with scaling so
 * the squares cannot underflow. Returns null when the whole vector is subnormal or zero.
 */
export function log10NormOf(values: ArrayLike<number>, from = 0, to = values.length): { log10: number | null; underflow: boolean } {
  let maxAbs = 0;
  let finite = true;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) finite = false;
    else maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  if (!finite) return { log10: NaN, underflow: false };
  if (maxAbs < FLOAT32_MIN_NORMAL) return { log10: null, underflow: true };
  // norm2's scaled sum of squares, over the range in place: no copy into a JS array
  // (Array.prototype.slice.call on a Float32Array is a slow generic path). Same arithmetic, same result.
  let sum = 0;
  for (let i = from; i < to; i++) sum += (values[i] / maxAbs) ** 2;
  return { log10: Math.log10(maxAbs * Math.sqrt(sum)), underflow: false };
}

/** Splits a flat [rows, width] buffer into one Log10Series of row norms. */
export function rowLog10Norms(values: ArrayLike<number>, rows: number, width: number, rowOffset = 0, rowStride = width): Log10Series {
  const log10: (number | null)[] = [];
  const underflow: boolean[] = [];
  for (let r = 0; r < rows; r++) {
    const start = rowOffset + r * rowStride;
    const n = log10NormOf(values, start, start + width);
    log10.push(n.log10);
    underflow.push(n.underflow);
  }
  return { log10, underflow };
}
