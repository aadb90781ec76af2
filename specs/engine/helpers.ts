import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { backendUnderflowFloor } from '../../src/backend/float32.js';
import { type ModelConfig, makeConfig } from '../../src/config/types.js';
import { createParams, type ModelParams } from '../../src/models/params.js';
import { isCloseLog10 } from '../../src/numerics/close.js';
import { type Log10Series, underflowDecades } from '../../src/numerics/log-norm.js';
import { buildTfModel, type TfModel } from '../../src/models/tf-model.js';
import { productsPerEntry } from '../../src/probes/forward.js';

/** Small configurations of every architecture, for oracle comparisons that must stay fast. */
export const SMALL_CONFIGS: readonly ModelConfig[] = [
  makeConfig({ architecture: 'rnn', hiddenSize: 8, inputSize: 5, seqLength: 12 }),
  makeConfig({ architecture: 'rnn', activation: 'relu', hiddenSize: 8, inputSize: 5, seqLength: 12, recurrentInit: { kind: 'orthogonal', gain: 0.9 } }),
  makeConfig({ architecture: 'rnn', activation: 'sigmoid', hiddenSize: 8, inputSize: 5, seqLength: 12, recurrentInit: { kind: 'normal', std: 0.5 } }),
  makeConfig({ architecture: 'rnn', activation: 'linear', hiddenSize: 6, inputSize: 4, seqLength: 10, recurrentInit: { kind: 'identity', scale: 0.95 } }),
  makeConfig({ architecture: 'residual', hiddenSize: 8, inputSize: 5, seqLength: 12 }),
  makeConfig({ architecture: 'layernorm', hiddenSize: 8, inputSize: 5, seqLength: 12, recurrentInit: { kind: 'glorotUniform' } }),
  makeConfig({ architecture: 'lstm', hiddenSize: 7, inputSize: 5, seqLength: 12, biasInit: { kind: 'pytorchDefault' }, forgetBias: 'one' }),
  makeConfig({
    architecture: 'lstm',
    hiddenSize: 7,
    inputSize: 5,
    seqLength: 12,
    recurrentInit: { kind: 'orthogonal', gain: 1 },
    inputInit: { kind: 'glorotUniform' },
    biasInit: { kind: 'zeros' },
    forgetBias: 'chrono',
    recurrentActivation: 'hardSigmoid',
  }),
  makeConfig({
    architecture: 'gru',
    hiddenSize: 7,
    inputSize: 5,
    seqLength: 12,
    recurrentInit: { kind: 'pytorchDefault' },
    inputInit: { kind: 'pytorchDefault' },
  }),
  makeConfig({
    architecture: 'gru',
    hiddenSize: 7,
    inputSize: 5,
    seqLength: 12,
    recurrentActivation: 'hardSigmoid',
    recurrentInit: { kind: 'orthogonal', gain: 1 },
  }),
];

/** Runs `body` on a freshly built model and asserts that no tensor outlives it (model included). */
export async function withModel<T>(params: ModelParams | readonly ModelParams[], body: (model: TfModel) => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const model = buildTfModel(Array.isArray(params) ? params : [params as ModelParams]);
  try {
    return await body(model);
  } finally {
    model.dispose();
    expect(tf.memory().numTensors, 'tensors leaked by a probe').toBe(before);
  }
}

export const label = (c: ModelConfig): string =>
  `${c.architecture}/${c.architecture === 'lstm' || c.architecture === 'gru' ? c.recurrentActivation : c.activation} H${c.hiddenSize} T${c.seqLength}`;

export { createParams };

/** How two float32 series of one quantity may differ: rounding, and what underflow can take away. */
export interface SeriesAllowance {
  /** Decades allowed between two numbers by float32 rounding alone. */
  readonly decades: number;
  /**
   * The largest difference, in norm, that lost underflow can make between the two series (0 when
   * neither loses anything measurable): one underflowFloor when one side keeps subnormals (the
   * kernel), two when both may flush (two tfjs passes on tfjs-node). A step one side flags and
   * the other measures is allowed only where the measured norm lies below `gap` plus the floor.
   */
  readonly gap: number;
  /** The underflow floor the flagging side used (the probe's, src/backend/float32.ts). */
  readonly floor: number;
}

/**
 * Asserts that `actual` measures what `expected` does: the same overflow flags, the same
 * underflow flags except where float32 underflow alone can move a norm across the floor, and
 * every number within allowance.decades + log10(1 + gap/min) decades (numerics/log-norm.ts
 * underflowDecades). On cpu and wasm the floor and gap lie near 10⁻⁴³: rounding alone is allowed.
 */
export function expectSameSeries(actual: Log10Series, expected: Log10Series, what: string, names: readonly [string, string], allowance: SeriesAllowance): void {
  const [an, en] = names;
  const { decades, gap, floor } = allowance;
  expect(actual.log10.length, `${what}: length, ${an} ${actual.log10.length} vs ${en} ${expected.log10.length}`).toBe(expected.log10.length);
  expect(actual.overflow, `${what}: overflow flags (${an} vs ${en})`).toEqual(expected.overflow);
  const straddle = Math.log10(floor + gap) + decades;
  expected.log10.forEach((e, t) => {
    const a = actual.log10[t];
    if (expected.overflow?.[t]) return;
    if (actual.underflow[t] !== expected.underflow[t]) {
      const measured = actual.underflow[t] ? e : a;
      expect(
        measured !== null && measured <= straddle,
        `${what}[${t}]: underflow flags differ (${an} ${a}, ${en} ${e}); allowed only where the measured norm lies below floor + gap, log10 ${straddle}`,
      ).toBe(true);
    } else if (a !== null && e !== null) {
      const allowed = decades + underflowDecades(gap, Math.min(a, e));
      expect(
        isCloseLog10(a, e, allowed),
        `${what}[${t}]: ${an} ${a} vs ${en} ${e} (±${allowed} decades: ${decades} + ${allowed - decades} for ` +
          `underflow of at most ${gap.toExponential(3)} in norm)`,
      ).toBe(true);
    }
  });
}

/** The active backend's underflow floors for a configuration's ∂L/∂s_t and ∂L/∂x_t (src/probes/forward.ts profileFloors). */
export function floorsOf(config: ModelConfig): { readonly state: number; readonly input: number } {
  const terms = productsPerEntry(config);
  return {
    state: backendUnderflowFloor(config.architecture === 'lstm' ? 2 * config.hiddenSize : config.hiddenSize, terms),
    input: backendUnderflowFloor(config.inputSize, terms),
  };
}
