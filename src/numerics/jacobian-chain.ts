import { type Matrix, matMul, norm2, vecMat, zeros } from '../linalg/matrix.js';

/**
 * Chains of per-step Jacobians evaluated in float64 with renormalisation: the running
 * vector or matrix is divided by its norm at every step and the log10 of that norm is
 * accumulated, as Lyapunov exponents are computed. Nothing underflows, whatever T is.
 * Step t consumes x_t and maps s_{t−1} to s_t; jacobianState[t] = ∂s_t/∂s_{t−1},
 * jacobianInput[t] = ∂s_t/∂x_t, both [out, in] (J[i][j] = ∂out_i/∂in_j).
 */
export interface JacobianChain {
  readonly jacobianState: readonly Matrix[];
  readonly jacobianInput: readonly Matrix[];
  /** Number of leading state entries that are the output h (the rest is the LSTM cell state). */
  readonly outputSize: number;
}

export interface ChainProfile {
  /** log10 ‖∂L/∂s_t‖, t = 0..T−1, for L = Σ h_{T−1}. */
  readonly log10GradState: number[];
  /** log10 ‖∂L/∂x_t‖. */
  readonly log10GradInput: number[];
}

/** Fills the rest of a series once a chain has hit an exact zero (−∞) or a non-finite value (NaN). */
function fillFrom(series: number[], indices: Iterable<number>, n: number): void {
  for (const k of indices) series[k] = n === 0 ? -Infinity : NaN;
}

/** Reverse accumulation of v·J products from L = Σ h_{T−1} back to t = 0. */
export function chainProfile(chain: JacobianChain): ChainProfile {
  const T = chain.jacobianState.length;
  const S = chain.jacobianState[0].rows;
  let v: Float64Array = new Float64Array(S);
  v.fill(1, 0, chain.outputSize);
  let logScale = 0;
  const log10GradState = new Array<number>(T);
  const log10GradInput = new Array<number>(T);
  for (let t = T - 1; t >= 0; t--) {
    log10GradState[t] = logScale + Math.log10(norm2(v));
    log10GradInput[t] = logScale + Math.log10(norm2(vecMat(v, chain.jacobianInput[t])));
    if (t === 0) break;
    v = vecMat(v, chain.jacobianState[t]);
    const n = norm2(v);
    if (n === 0 || !Number.isFinite(n)) {
      const rest = Array.from({ length: t }, (_, k) => k);
      fillFrom(log10GradState, rest, n);
      fillFrom(log10GradInput, rest, n);
      break;
    }
    v = v.map((x) => x / n);
    logScale += Math.log10(n);
  }
  return { log10GradState, log10GradInput };
}

/**
 * The document's demo quantity, log10 ‖∂(Σ h_t)/∂x_0‖ for t = 0..T−1, by forward
 * accumulation of M_t = ∂s_t/∂x_0 = J_t·…·J_1·∂s_0/∂x_0.
 */
export function chainDemo(chain: JacobianChain, steps = chain.jacobianState.length): number[] {
  const T = Math.min(steps, chain.jacobianState.length);
  let m: Matrix = chain.jacobianInput[0];
  let logScale = 0;
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    if (t > 0) m = matMul(chain.jacobianState[t], m);
    const ones = new Float64Array(m.rows);
    ones.fill(1, 0, chain.outputSize);
    out.push(logScale + Math.log10(norm2(vecMat(ones, m))));
    const n = norm2(m.data);
    if (n === 0 || !Number.isFinite(n)) {
      fillFrom(out, Array.from({ length: T - t - 1 }, (_, k) => t + 1 + k), n);
      out.length = T;
      break;
    }
    m = { rows: m.rows, cols: m.cols, data: m.data.map((x) => x / n) };
    logScale += Math.log10(n);
  }
  return out;
}

/** P = J_b·…·J_{a+1} = ∂s_b/∂s_a as a unit-Frobenius matrix times 10^log10Scale. */
export function chainProduct(chain: JacobianChain, a: number, b: number): { product: Matrix; log10Scale: number } {
  const S = chain.jacobianState[0].rows;
  let product = zeros(S, S);
  for (let i = 0; i < S; i++) product.data[i * S + i] = 1;
  let log10Scale = 0;
  for (let k = a + 1; k <= b; k++) {
    product = matMul(chain.jacobianState[k], product);
    const n = norm2(product.data);
    if (n === 0 || !Number.isFinite(n)) return { product, log10Scale: n === 0 ? -Infinity : NaN };
    product = { rows: S, cols: S, data: product.data.map((x) => x / n) };
    log10Scale += Math.log10(n);
  }
  return { product, log10Scale };
}
