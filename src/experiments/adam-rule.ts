/**
 * Adam's update rule (Kingma & Ba 2015, Algorithm 1, with ε added after the square root as in
 * PyTorch and tfjs), written once for both training engines: the tfjs engine applies it to
 * float32 tensors (optimizer.ts's Adam), the fused kernel's engine to flat float32 arrays in
 * float64 arithmetic (adamUpdateArrays, kernel-train.ts). Only the arithmetic differs between them.
 */

/** PyTorch's and tfjs's Adam defaults. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

/** What one update's bias corrections make of the learning rate: the step size lr/(1 − β₁ᵗ) and the divisor 1 − β₂ᵗ of v. */
export interface AdamSchedule {
  readonly stepSize: number;
  readonly c2: number;
}

/** The schedule of update `step` (1 for the first). */
export function adamSchedule(learningRate: number, step: number): AdamSchedule {
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`adamSchedule: step should be an integer ≥ 1, got ${step}`);
  return { stepSize: learningRate / (1 - ADAM_BETA1 ** step), c2: 1 - ADAM_BETA2 ** step };
}

/**
 * The operations the rule is written in, over a value type T (a tensor, or one number). Each
 * engine rounds as its arithmetic does; the rule fixes the order of the operations.
 */
export interface AdamArithmetic<T> {
  add(a: T, b: T): T;
  div(a: T, b: T): T;
  /** a·k */
  times(a: T, k: number): T;
  /** a/k */
  over(a: T, k: number): T;
  /** a + k */
  plus(a: T, k: number): T;
  sqrt(a: T): T;
  /**
   * k·g². The one place where the engines' orders differ, kept as each trained the published
   * results: tensors square first ((g·g)·k, as tfjs's Adam), numbers scale first ((k·g)·g), and
   * either order changed would change results in their last bits.
   */
  squareTimes(g: T, k: number): T;
}

/** Moments after an update, and the step to subtract from the weights. */
export interface AdamStep<T> {
  readonly m: T;
  readonly v: T;
  readonly delta: T;
}

/** One Adam update of moments m and v from a gradient g that is already clipped. */
export function adamRule<T>(ar: AdamArithmetic<T>, g: T, m: T, v: T, schedule: AdamSchedule): AdamStep<T> {
  const m1 = ar.add(ar.times(m, ADAM_BETA1), ar.times(g, 1 - ADAM_BETA1));
  const v1 = ar.add(ar.times(v, ADAM_BETA2), ar.squareTimes(g, 1 - ADAM_BETA2));
  const delta = ar.div(ar.times(m1, schedule.stepSize), ar.plus(ar.sqrt(ar.over(v1, schedule.c2)), ADAM_EPSILON));
  return { m: m1, v: v1, delta };
}

/** Numbers: float64 within an update, float32 only where the arrays store (so the step uses the moments before their rounding). */
export const NUMBER_ARITHMETIC: AdamArithmetic<number> = {
  add: (a, b) => a + b,
  div: (a, b) => a / b,
  times: (a, k) => a * k,
  over: (a, k) => a / k,
  plus: (a, k) => a + k,
  sqrt: Math.sqrt,
  squareTimes: (g, k) => k * g * g,
};

/**
 * One Adam update in place of weights w with moments m and v (one model's, flat) from its raw
 * gradient g, multiplied by clipScale first (the per-model clip of optimizer.ts).
 */
export function adamUpdateArrays(w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, clipScale: number, schedule: AdamSchedule): void {
  if (m.length !== w.length || v.length !== w.length || g.length !== w.length) {
    throw new RangeError(`adamUpdateArrays: w, m, v and g should have one length, got ${w.length}, ${m.length}, ${v.length} and ${g.length}`);
  }
  for (let i = 0; i < w.length; i++) {
    const s = adamRule(NUMBER_ARITHMETIC, g[i] * clipScale, m[i], v[i], schedule);
    m[i] = s.m;
    v[i] = s.v;
    w[i] -= s.delta;
  }
}
