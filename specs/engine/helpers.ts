import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { type ModelConfig, makeConfig } from '../../src/config/types.js';
import { createParams, type ModelParams } from '../../src/models/params.js';
import { buildTfModel, type TfModel } from '../../src/models/tf-model.js';

/** Small configurations of every architecture, for oracle comparisons that must stay fast. */
export const SMALL_CONFIGS: readonly ModelConfig[] = [
  makeConfig({ architecture: 'rnn', hiddenSize: 8, inputSize: 5, seqLength: 12 }),
  makeConfig({ architecture: 'rnn', activation: 'relu', hiddenSize: 8, inputSize: 5, seqLength: 12, recurrentInit: { kind: 'orthogonal', gain: 0.9 } }),
  makeConfig({ architecture: 'rnn', activation: 'sigmoid', hiddenSize: 8, inputSize: 5, seqLength: 12, recurrentInit: { kind: 'normal', std: 0.5 } }),
  makeConfig({ architecture: 'rnn', activation: 'linear', hiddenSize: 6, inputSize: 4, seqLength: 10, recurrentInit: { kind: 'identity', scale: 0.95 } }),
  makeConfig({ architecture: 'residual', hiddenSize: 8, inputSize: 5, seqLength: 12 }),
  makeConfig({ architecture: 'layernorm', hiddenSize: 8, inputSize: 5, seqLength: 12, recurrentInit: { kind: 'glorotUniform' } }),
  makeConfig({ architecture: 'lstm', hiddenSize: 7, inputSize: 5, seqLength: 12, biasInit: { kind: 'pytorchDefault' }, forgetBias: 'one' }),
  makeConfig({ architecture: 'lstm', hiddenSize: 7, inputSize: 5, seqLength: 12, recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' }, forgetBias: 'chrono', recurrentActivation: 'hardSigmoid' }),
  makeConfig({ architecture: 'gru', hiddenSize: 7, inputSize: 5, seqLength: 12, recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' } }),
  makeConfig({ architecture: 'gru', hiddenSize: 7, inputSize: 5, seqLength: 12, recurrentActivation: 'hardSigmoid', recurrentInit: { kind: 'orthogonal', gain: 1 } }),
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

export const label = (c: ModelConfig): string => `${c.architecture}/${c.architecture === 'lstm' || c.architecture === 'gru' ? c.recurrentActivation : c.activation} H${c.hiddenSize} T${c.seqLength}`;

export { createParams };
