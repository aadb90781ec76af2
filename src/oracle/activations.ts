import type { Activation, RecurrentActivation } from '../config/types.js';

/** A scalar function and its derivative, in float64. */
export interface ScalarFn {
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Derivatives as tfjs defines them at kinks (relu'(0) = 0; hardSigmoid' = 0.2 strictly inside (-2.5, 2.5)). */
export const SCALAR_FNS: Record<Activation | RecurrentActivation, ScalarFn> = {
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2 },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0) },
  sigmoid: { f: sigmoid, df: (x) => sigmoid(x) * (1 - sigmoid(x)) },
  linear: { f: (x) => x, df: () => 1 },
  hardSigmoid: { f: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)), df: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0) },
};
