/**
 * "Negligible", "near zero", "barely": one part in a thousand, 3 decades. A contribution a
 * thousand times smaller than the largest changes a sum by at most 0.1%, below any effect a
 * training run could show. Defined here, below the experiments and the claims, so both read the
 * one constant: the profile detector (experiments/detector.ts), the gated cells' "stable", the
 * collapse and bypass claims and the gradient horizon (through claims/rules.ts).
 */
export const NEGLIGIBLE_DECADES = 3;
