/**
 * Regions whose measurement on tfjs-node differs from wasm's, each with the float32 reason found
 * for it: the one list of them. npm test's node re-run (node-backend.test.ts) requires every other
 * re-run region to give wasm's verdict and counts; a listed region may differ only as stated.
 */
export interface BackendDifference {
  /** `CLAIM-ID [region-id]`. */
  readonly region: string;
  /** 'verdict': tfjs-node measures another verdict, so the region's spec fails there; 'counts': the same verdict (inside its band), other counts. */
  readonly differs: 'verdict' | 'counts';
  /** What tfjs-node measures there (a verdict difference must still show it: the list stays true). */
  readonly nodeVerdict: string;
  /** As measured at seed 424242 when the difference was found: wasm's, then tfjs-node's verdict and counts. */
  readonly seen: string;
  readonly why: string;
}

export const BACKEND_DIFFERENCES: readonly BackendDifference[] = [
  {
    region: 'VG-TANH-DERIV [float32-resolvable]',
    differs: 'verdict',
    nodeVerdict: 'refuted',
    seen:
      'wasm holds 200/0, tfjs-node refuted 169/31: a theorem, so one counterexample refutes it under the ' +
      'decision rule (engine/decision.ts; it read mixed before that rule); the smallest, x = 7.94, has ' +
      'slope 0 against 5.1e-7',
    why:
      "TensorFlow's float32 tanh (Eigen's rational approximation) clamps its argument at ±7.9053 and " +
      'returns exactly 1 beyond it, so 1 − tanh² is 0 for |x| > 7.905; cpu and wasm round tanh correctly ' +
      "and resolve the slope to |x| ≈ 9. The region's premise, |x| ≤ 8 is float32-resolvable, holds for a " +
      'correctly rounded tanh only.',
  },
  {
    region: 'VG-FLOW-PRODUCT [layernorm-two-units]',
    differs: 'counts',
    nodeVerdict: 'mixed',
    seen: 'wasm mixed 26/4, tfjs-node mixed 24/6 (band 0.444-0.981)',
    why:
      "The claim's own boundary: a layer norm over two units has a Jacobian ε/(d² + ε)-small, computed in " +
      'float32 as 1 minus a number near 1, so which cases hold rests on float32 rounding noise; ' +
      "TensorFlow's kernels round otherwise than wasm's (and its AVX2 kernels otherwise than its AVX-512 ones).",
  },
];
