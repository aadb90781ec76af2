import { type Matrix, matMulInto, norm2, vecMat } from '../linalg/matrix.js';

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
  /** Where the forward computation behind the Jacobians first held ±∞ or NaN (the float64 oracle's OracleRun sets it); absent or null: nowhere. */
  readonly firstOverflow?: Float64Overflow | null;
}

/** The float64 quantities that can overflow: the oracle's forward pass, or the backward chain. */
export type Float64Quantity = 'forward state s_t' | 'Jacobian ∂s_t/∂(s_{t−1}, x_t)' | 'backward ∂L/∂s_t' | 'backward ∂L/∂x_t';

/** Where float64 first failed in a measurement: the quantity and its step t. */
export interface Float64Overflow {
  readonly quantity: Float64Quantity;
  readonly step: number;
}

/** The flags of one float64 series, per step t. */
export interface Float64Flags {
  /**
   * True where the value was computed from a quantity that held ±∞ or NaN, so the number is not
   * the quantity (log10 may still look finite, or be −∞ or NaN): the float64 counterpart of float32's overflow flag.
   */
  readonly overflow: readonly boolean[];
  /** True where the value is exactly 0 in float64 (log10 −∞), and not from an overflow: every path had a slope that rounded to 0 (a saturated gate, a ReLU unit off). */
  readonly zero: readonly boolean[];
}

export interface ChainProfile {
  /** log10 ‖∂L/∂s_t‖, t = 0..T−1, for L = Σ h_{T−1}: a number only where neither flag of `state` is set. */
  readonly log10GradState: number[];
  /** log10 ‖∂L/∂x_t‖: a number only where neither flag of `input` is set. */
  readonly log10GradInput: number[];
  readonly state: Float64Flags;
  readonly input: Float64Flags;
  /**
   * Where float64 first failed, or null. A forward failure (the chain's firstOverflow) poisons
   * every value but the seed ∂L/∂s_{T−1}, as float32's forward overflow does: every ∂L/∂s_t with
   * t < T−1 passes through J_{T−1}, and every ∂L/∂x_t through the Jacobian of step t, each
   * evaluated at or after the failed step. A backward failure at step t poisons t and every earlier step.
   */
  readonly firstOverflow: Float64Overflow | null;
}

/** Fills the rest of a series once a chain has hit an exact zero (−∞) or a non-finite value (NaN). */
function fillFrom(series: number[], indices: Iterable<number>, n: number): void {
  for (const k of indices) series[k] = n === 0 ? -Infinity : NaN;
}

/**
 * Reverse accumulation of v·J products from L = Σ h_{T−1} back to t = 0, with every value
 * computed from a non-finite quantity flagged (ChainProfile.firstOverflow says which and where).
 */
export function chainProfile(chain: JacobianChain): ChainProfile {
  const T = chain.jacobianState.length;
  const S = chain.jacobianState[0].rows;
  let v: Float64Array = new Float64Array(S);
  v.fill(1, 0, chain.outputSize);
  let logScale = 0;
  const log10GradState = new Array<number>(T);
  const log10GradInput = new Array<number>(T);
  let backward: Float64Overflow | null = null;
  for (let t = T - 1; t >= 0; t--) {
    log10GradState[t] = logScale + Math.log10(norm2(v));
    log10GradInput[t] = logScale + Math.log10(norm2(vecMat(v, chain.jacobianInput[t])));
    if (Number.isNaN(log10GradInput[t]) || log10GradInput[t] === Infinity) backward ??= { quantity: 'backward ∂L/∂x_t', step: t };
    if (t === 0) break;
    v = vecMat(v, chain.jacobianState[t]);
    const n = norm2(v);
    if (n === 0 || !Number.isFinite(n)) {
      const rest = Array.from({ length: t }, (_, k) => k);
      fillFrom(log10GradState, rest, n);
      fillFrom(log10GradInput, rest, n);
      if (n !== 0) backward ??= { quantity: 'backward ∂L/∂s_t', step: t - 1 };
      break;
    }
    for (let i = 0; i < v.length; i++) v[i] /= n;
    logScale += Math.log10(n);
  }
  const forward = chain.firstOverflow ?? null;
  const firstOverflow = forward ?? backward;
  // A backward ∂L/∂x_t failure poisons only that step; a backward ∂L/∂s_t failure, its step and every earlier one.
  const poisoned = (t: number, input: boolean): boolean =>
    forward !== null
      ? input || t < T - 1
      : backward === null
        ? false
        : backward.quantity === 'backward ∂L/∂s_t'
          ? t <= backward.step
          : input && t === backward.step;
  const flags = (series: readonly number[], input: boolean): Float64Flags => {
    const overflow = series.map((value, t) => poisoned(t, input) || Number.isNaN(value) || value === Infinity);
    return { overflow, zero: series.map((value, t) => value === -Infinity && !overflow[t]) };
  };
  return { log10GradState, log10GradInput, state: flags(log10GradState, false), input: flags(log10GradInput, true), firstOverflow };
}

/**
 * The document's demo quantity, log10 ‖∂(Σ h_t)/∂x_0‖ for t = 0..T−1, by forward
 * accumulation of M_t = ∂s_t/∂x_0 = J_t·…·J_1·∂s_0/∂x_0.
 */
export function chainDemo(chain: JacobianChain, steps = chain.jacobianState.length): number[] {
  const T = Math.min(steps, chain.jacobianState.length);
  const { rows: S, cols: D } = chain.jacobianInput[0];
  // Two buffers for M_t, alternated: one product per step, nothing allocated in the loop.
  let m = Float64Array.from(chain.jacobianInput[0].data);
  let next = new Float64Array(S * D);
  const sums = new Float64Array(D);
  let logScale = 0;
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    if (t > 0) {
      matMulInto(chain.jacobianState[t], m, D, next);
      [m, next] = [next, m];
    }
    // Σ over the output rows of M_t: the row vector (1…1, 0…0)·M_t.
    sums.fill(0);
    for (let i = 0; i < chain.outputSize; i++) for (let j = 0; j < D; j++) sums[j] += m[i * D + j];
    out.push(logScale + Math.log10(norm2(sums)));
    const n = norm2(m);
    if (n === 0 || !Number.isFinite(n)) {
      fillFrom(
        out,
        Array.from({ length: T - t - 1 }, (_, k) => t + 1 + k),
        n,
      );
      out.length = T;
      break;
    }
    for (let i = 0; i < m.length; i++) m[i] /= n;
    logScale += Math.log10(n);
  }
  return out;
}

/** P = J_b·…·J_{a+1} = ∂s_b/∂s_a as a unit-Frobenius matrix times 10^log10Scale. */
export function chainProduct(chain: JacobianChain, a: number, b: number): { product: Matrix; log10Scale: number } {
  const S = chain.jacobianState[0].rows;
  let product = new Float64Array(S * S);
  for (let i = 0; i < S; i++) product[i * S + i] = 1;
  let next = new Float64Array(S * S);
  let log10Scale = 0;
  for (let k = a + 1; k <= b; k++) {
    matMulInto(chain.jacobianState[k], product, S, next);
    [product, next] = [next, product];
    const n = norm2(product);
    if (n === 0 || !Number.isFinite(n)) return { product: { rows: S, cols: S, data: product }, log10Scale: n === 0 ? -Infinity : NaN };
    for (let i = 0; i < product.length; i++) product[i] /= n;
    log10Scale += Math.log10(n);
  }
  return { product: { rows: S, cols: S, data: product }, log10Scale };
}
