/**
 * The principle behind "preserved" and "unchanged" in the mitigation claims. The document says
 * orthogonal weights "preserve gradient norms" and an open forget gate lets gradients "flow
 * unchanged", with no tolerance. Over a span of T steps a per-step factor counts as ≈ 1 when it
 * is within 1/T of 1 (its own timescale, 1/(1 − f), is at least the span); T such factors keep at
 * least (1 − 1/T)^T ≈ 1/e of the norm. So a gradient is preserved over T steps when it loses at
 * most −T·log10(1 − 1/T) decades: 0.44 at T = 50, tending to log10 e ≈ 0.43 for long spans.
 * Derived from the words and the span, never from a measurement.
 */
export function preservedDecades(T: number): number {
  if (!Number.isInteger(T) || T < 2) throw new RangeError(`preservedDecades: T must be an integer ≥ 2, got ${T}`);
  return -T * Math.log10(1 - 1 / T);
}

/** The decay per step a preserved gradient may show over T steps: preservedDecades(T) / T (−log10(1 − 1/T)). */
export function preservedDecadesPerStep(T: number): number {
  return preservedDecades(T) / T;
}
