/**
 * Rounding for published numbers: 3 significant digits by default, so a report stays readable
 * and a record stays the same across backends whose last bits differ. Non-finite values and 0
 * pass through unchanged (a NaN stays NaN, so it is never read as a number).
 */
export function sig(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
