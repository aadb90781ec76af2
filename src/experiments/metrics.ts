import { FLOAT32_MIN_NORMAL, type Log10Series } from '../numerics/log-norm.js';
import { singularValues } from '../linalg/svd.js';

/**
 * Summaries of a training run computed in float64 from what the training loop read back.
 */

/** Plateau test: the moving average's window is this fraction of the steps (at least 1 step). */
export const PLATEAU_WINDOW_FRACTION = 0.05;
/** …and the test looks at this final fraction of the steps. */
export const PLATEAU_TAIL_FRACTION = 0.2;
/** A run has plateaued when the moving average improves by less than this (relative) over the tail. */
export const PLATEAU_MIN_IMPROVEMENT = 0.01;

export interface PlateauResult {
  /** (MA at the start of the tail − MA at the end) / MA at the start. */
  readonly relativeImprovement: number;
  readonly plateaued: boolean;
  /** MA of the loss over the last window: the level the run sits at. */
  readonly finalLevel: number;
  /**
   * When the plateau began (null when the run has not plateaued): the start of the final
   * stretch of updates whose moving average no later update beats by PLATEAU_MIN_IMPROVEMENT
   * (relative); the index is the update that ends the first such window.
   */
  readonly onsetStep: number | null;
}

/**
 * Plateau detection (the document's symptom "Loss plateaus early"), defined as: with window
 * w = max(1, round(PLATEAU_WINDOW_FRACTION·N)) and tail start s = N − round(PLATEAU_TAIL_FRACTION·N),
 * a = mean(loss[s−w .. s−1]) and b = mean(loss[N−w .. N−1]); plateaued ⟺ (a − b)/a < PLATEAU_MIN_IMPROVEMENT.
 * A run that has converged to zero loss also plateaus; read it together with `finalLevel`.
 */
export function detectPlateau(losses: readonly number[]): PlateauResult {
  const N = losses.length;
  if (N < 2) throw new RangeError(`detectPlateau: needs at least 2 losses, got ${N}`);
  const w = Math.max(1, Math.round(PLATEAU_WINDOW_FRACTION * N));
  const s = Math.max(w, N - Math.max(1, Math.round(PLATEAU_TAIL_FRACTION * N)));
  const mean = (from: number, to: number): number => {
    let sum = 0;
    for (let i = from; i < to; i++) sum += losses[i];
    return sum / (to - from);
  };
  const a = mean(s - w, s);
  const b = mean(N - w, N);
  const relativeImprovement = a > 0 ? (a - b) / a : 0;
  const plateaued = !(relativeImprovement >= PLATEAU_MIN_IMPROVEMENT);
  return { relativeImprovement, plateaued, finalLevel: b, onsetStep: plateaued ? plateauOnset(losses, w) : null };
}

/** Start of the final stretch of updates whose trailing moving average (window w) no later one beats by the relative margin. */
function plateauOnset(losses: readonly number[], w: number): number {
  const N = losses.length;
  const ma: number[] = [];
  let sum = 0;
  for (let i = 0; i < N; i++) {
    sum += losses[i] - (i >= w ? losses[i - w] : 0);
    if (i >= w - 1) ma.push(sum / w);
  }
  let laterMin = Infinity;
  let onset = ma.length - 1;
  for (let k = ma.length - 1; k >= 0; k--) {
    if (!(laterMin < ma[k] * (1 - PLATEAU_MIN_IMPROVEMENT))) onset = k;
    else break;
    laterMin = Math.min(laterMin, ma[k]);
  }
  return onset + w - 1;
}

/** log10 of ‖v‖ from a max |v| and the sum of (v / max)², or null when max is below float32's normal range. */
export function log10FromScaled(maxAbs: number, scaledSumSq: number): number | null {
  if (!Number.isFinite(maxAbs) || !Number.isFinite(scaledSumSq)) return NaN;
  if (maxAbs < FLOAT32_MIN_NORMAL) return null;
  return Math.log10(maxAbs) + 0.5 * Math.log10(scaledSumSq);
}

/** A Log10Series from parallel arrays of maxima and scaled sums of squares. */
export function seriesFromScaled(maxAbs: ArrayLike<number>, scaledSumSq: ArrayLike<number>): Log10Series {
  const log10: (number | null)[] = [];
  const underflow: boolean[] = [];
  for (let i = 0; i < maxAbs.length; i++) {
    const v = log10FromScaled(maxAbs[i], scaledSumSq[i]);
    log10.push(v);
    underflow.push(v === null);
  }
  return { log10, underflow };
}

/**
 * Share of step t in ∂L/∂W_hh: share_t = ‖G_t‖_F / Σ_s ‖G_s‖_F, where G_t = h_{t−1}ᵀ·∂L/∂u_t is
 * step t's term of the gradient (u_t = h_{t−1}·W_hh + b_hh) and ∂L/∂W_hh = Σ_t G_t. Underflowed
 * terms count as 0. Shares sum to 1 (all 0 when every term underflowed).
 */
export function stepShares(log10Norms: Log10Series): number[] {
  const finite = log10Norms.log10.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return log10Norms.log10.map(() => 0);
  const top = Math.max(...finite);
  const rel = log10Norms.log10.map((v) => (v === null || !Number.isFinite(v) ? 0 : 10 ** (v - top)));
  const total = rel.reduce((s, v) => s + v, 0);
  return rel.map((v) => v / total);
}

/** Σ_t share_t·(T−1−t): the mean distance from the readout of ∂L/∂W_hh's contributions, in steps. */
export function meanShareDistance(shares: readonly number[]): number {
  const T = shares.length;
  return shares.reduce((s, v, t) => s + v * (T - 1 - t), 0);
}

/** Σ share_t over the steps at distance ≥ d from the readout (t ≤ T−1−d). */
export function shareBeyond(shares: readonly number[], d: number): number {
  const T = shares.length;
  return shares.reduce((s, v, t) => (T - 1 - t >= d ? s + v : s), 0);
}

/** The singular values of a trained W_hh at their extremes (float64 SVD of the float32 weights). */
export interface RecurrentSpectrum {
  readonly largestSingularValue: number;
  readonly smallestSingularValue: number;
}

/**
 * The trained recurrent matrix's extreme singular values, per model of a batch: `weightHh` is the
 * trainable 'weight_hh' laid out [C, H, G·H] (tfjs's recurrent kernel, W_hh transposed: the same
 * singular values). Null for a gated cell, whose recurrent kernel holds several gate blocks.
 */
export function recurrentSpectra(architecture: string, hiddenSize: number, count: number, weightHh: Float32Array | undefined): (RecurrentSpectrum | null)[] {
  const H = hiddenSize;
  return Array.from({ length: count }, (_, c) => {
    if (!weightHh || architecture === 'lstm' || architecture === 'gru') return null;
    const sv = singularValues({ rows: H, cols: H, data: Float64Array.from(weightHh.subarray(c * H * H, (c + 1) * H * H)) });
    return { largestSingularValue: sv[0], smallestSingularValue: sv[sv.length - 1] };
  });
}
