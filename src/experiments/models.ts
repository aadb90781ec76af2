import { type ModelConfig, PYTORCH_GATED_DEFAULTS, makeConfig } from '../config/types.js';
import { validateModelConfig } from '../config/validate.js';
import type { Task } from './tasks.js';

/** A named model family for the training experiments; sizes and seed come from the task and budget. */
export interface ModelSpec {
  /** Stable name used in tables ('rnn-demo', 'lstm-fb1', ...). */
  readonly name: string;
  /** Everything but inputSize, hiddenSize, seqLength and seed. */
  readonly overrides: Partial<ModelConfig>;
}

/** PyTorch's defaults (nn.RNNCell, nn.Linear, nn.LayerNorm), which the document's mitigation cells keep. */
const PYTORCH_DEFAULT_INITS: Partial<ModelConfig> = {
  recurrentInit: { kind: 'pytorchDefault' },
  inputInit: { kind: 'pytorchDefault' },
  biasInit: { kind: 'pytorchDefault' },
};

/**
 * The document's models. rnn-demo: its demo's U(−0.1, 0.1) weights (at H = 32 this gives W_hh a
 * spectral radius ≈ 0.1·√(H/3) ≈ 0.33, smaller than the demo's H = 100). rnn-orthogonal: its
 * `init_for_gradient_preservation` (xavier W_ih, orthogonal W_hh, zero biases). residual and
 * layernorm: its ResidualRNNCell and LayerNormRNNCell at PyTorch defaults. lstm/gru: nn.LSTM/nn.GRU
 * defaults (sigmoid gates), the LSTM with its forget bias set to 0 or 1.
 */
export const EXPERIMENT_MODELS: readonly ModelSpec[] = [
  {
    name: 'rnn-demo',
    overrides: {
      architecture: 'rnn',
      activation: 'tanh',
      recurrentInit: { kind: 'uniform', low: -0.1, high: 0.1 },
      inputInit: { kind: 'uniform', low: -0.1, high: 0.1 },
      biasInit: { kind: 'pytorchDefault' },
    },
  },
  {
    name: 'rnn-orthogonal',
    overrides: {
      architecture: 'rnn',
      activation: 'tanh',
      recurrentInit: { kind: 'orthogonal', gain: 1 },
      inputInit: { kind: 'glorotUniform' },
      biasInit: { kind: 'zeros' },
    },
  },
  { name: 'residual', overrides: { architecture: 'residual', activation: 'tanh', ...PYTORCH_DEFAULT_INITS } },
  { name: 'layernorm', overrides: { architecture: 'layernorm', activation: 'tanh', ...PYTORCH_DEFAULT_INITS } },
  { name: 'lstm-fb0', overrides: { architecture: 'lstm', ...PYTORCH_GATED_DEFAULTS, forgetBias: 'zero' } },
  { name: 'lstm-fb1', overrides: { architecture: 'lstm', ...PYTORCH_GATED_DEFAULTS, forgetBias: 'one' } },
  { name: 'gru', overrides: { architecture: 'gru', ...PYTORCH_GATED_DEFAULTS } },
];

/** Looks a model up by name; throws a RangeError listing the known names. */
export function modelSpec(name: string): ModelSpec {
  const spec = EXPERIMENT_MODELS.find((m) => m.name === name);
  if (!spec) throw new RangeError(`modelSpec: unknown model "${name}"; known: ${EXPERIMENT_MODELS.map((m) => m.name).join(', ')}`);
  return spec;
}

/** The validated config of a model family on a task: sizes from the task, hidden size from the budget. */
export function taskConfig(spec: ModelSpec, task: Task, hiddenSize: number, seed: number): ModelConfig {
  return validateModelConfig(makeConfig({ ...spec.overrides, inputSize: task.inputSize, hiddenSize, seqLength: task.seqLength, seed }));
}

/** Defined in models/shape.ts (the claims' batched probes group by it too); re-exported for the training grid. */
export { shapeKey } from '../models/shape.js';
