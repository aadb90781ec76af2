/**
 * Model configurations. Every default is a named constant here, never implicit in a
 * library: tfjs and PyTorch disagree on several (LSTM recurrent activation, initialisers).
 */

/** Recurrent architectures under test (document sections: Mitigations). */
export const ARCHITECTURES = ['rnn', 'residual', 'layernorm', 'lstm', 'gru'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** Activation of the vanilla cell's state update (and of the residual/layernorm cells). */
export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Gate activation for LSTM/GRU. `hardSigmoid` is tfjs's clip(0.2x + 0.5, 0, 1). */
export const RECURRENT_ACTIVATIONS = ['sigmoid', 'hardSigmoid'] as const;
export type RecurrentActivation = (typeof RECURRENT_ACTIVATIONS)[number];

/** Forget-gate bias schemes (LSTM): as biasInit drew it, 0, 1 (tfjs `unitForgetBias`), chrono (Tallec & Ollivier 2018), or large (LARGE_FORGET_BIAS). */
export const FORGET_BIASES = ['init', 'zero', 'one', 'chrono', 'large'] as const;
/**
 * The forget bias of 'large': σ(8) = 0.99966, within 1/T of 1 for spans up to T ≈ 2900, so with the
 * input and recurrent terms of common initialisations (a few units at most) every forget gate of a
 * run of up to a few hundred steps starts within 1/T of 1: the document's "f_t ≈ 1" by construction.
 */
export const LARGE_FORGET_BIAS = 8;
export type ForgetBias = (typeof FORGET_BIASES)[number];

/** Weight initialisation schemes. Each gate block of a gated cell is initialised separately. */
export type InitScheme =
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'glorotUniform' }
  | { readonly kind: 'orthogonal'; readonly gain: number }
  | { readonly kind: 'identity'; readonly scale: number }
  /** PyTorch's default for nn.RNN/LSTM/GRU: U(-1/sqrt(H), 1/sqrt(H)). */
  | { readonly kind: 'pytorchDefault' }
  | { readonly kind: 'zeros' };
export const INIT_KINDS = ['uniform', 'normal', 'glorotUniform', 'orthogonal', 'identity', 'pytorchDefault', 'zeros'] as const;

/** A complete, explicit configuration of one recurrent model and its input. */
export interface ModelConfig {
  /** Cell type. */
  readonly architecture: Architecture;
  /** State update activation for rnn/residual/layernorm (ignored by lstm/gru, which use tanh). */
  readonly activation: Activation;
  /** Size of each input vector x_t. */
  readonly inputSize: number;
  /** Size of the hidden state h_t (and of the LSTM cell state c_t). */
  readonly hiddenSize: number;
  /** Number of timesteps T. */
  readonly seqLength: number;
  /** Initialiser of the recurrent weights W_hh. */
  readonly recurrentInit: InitScheme;
  /** Initialiser of the input weights W_ih (and the residual projection). */
  readonly inputInit: InitScheme;
  /** Initialiser of the biases (both b_ih and b_hh, as PyTorch keeps two). */
  readonly biasInit: InitScheme;
  /** LSTM forget-gate bias: 'init' keeps biasInit's draw; 'zero', 'one' and 'large' (LARGE_FORGET_BIAS) set it; 'chrono' sets b_f = log U(1, T-1) and b_i = -b_f. */
  readonly forgetBias: ForgetBias;
  /** Gate activation for LSTM and GRU. */
  readonly recurrentActivation: RecurrentActivation;
  /** Standard deviation of the N(0, std²) inputs (torch.randn is std 1). */
  readonly inputStd: number;
  /** Seed for weights and inputs. Same seed, same numbers. */
  readonly seed: number;
}

/** PyTorch's gate activation (tfjs's default is hardSigmoid: see TFJS_LSTM_DEFAULTS). */
export const DEFAULT_RECURRENT_ACTIVATION: RecurrentActivation = 'sigmoid';
/** torch.randn, as the document's demo uses. */
export const DEFAULT_INPUT_STD = 1;
export const DEFAULT_SEED = 20261124;
/** LayerNorm epsilon: PyTorch's nn.LayerNorm default. */
export const LAYER_NORM_EPSILON = 1e-5;
/** Largest hidden size / sequence length accepted; larger would exhaust memory in the probes. */
export const MAX_HIDDEN_SIZE = 1024;
export const MAX_INPUT_SIZE = 1024;
export const MAX_SEQ_LENGTH = 5000;
/**
 * Fewest steps a temporal gradient profile takes (`vg profile`, gradientProfile): one step has no
 * distance over which a gradient could change. A ModelConfig itself may have seqLength 1 (the
 * eigenvalue claims use one step).
 */
export const MIN_PROFILE_STEPS = 2;

/** The document's demo: nn.RNN(100, 100), 50 steps, weights U(-0.1, 0.1), biases at PyTorch's default. */
export const DEMO_CONFIG: ModelConfig = {
  architecture: 'rnn',
  activation: 'tanh',
  inputSize: 100,
  hiddenSize: 100,
  seqLength: 50,
  recurrentInit: { kind: 'uniform', low: -0.1, high: 0.1 },
  inputInit: { kind: 'uniform', low: -0.1, high: 0.1 },
  biasInit: { kind: 'pytorchDefault' },
  forgetBias: 'init',
  recurrentActivation: DEFAULT_RECURRENT_ACTIVATION,
  inputStd: DEFAULT_INPUT_STD,
  seed: DEFAULT_SEED,
};

/** tfjs-layers' LSTM/GRU defaults made explicit: glorotUniform kernel, orthogonal recurrent kernel, zero bias, unitForgetBias, hardSigmoid gates. */
export const TFJS_GATED_DEFAULTS: Pick<ModelConfig, 'recurrentInit' | 'inputInit' | 'biasInit' | 'forgetBias' | 'recurrentActivation'> = {
  recurrentInit: { kind: 'orthogonal', gain: 1 },
  inputInit: { kind: 'glorotUniform' },
  biasInit: { kind: 'zeros' },
  forgetBias: 'one',
  recurrentActivation: 'hardSigmoid',
};

/** PyTorch's nn.LSTM/nn.GRU defaults made explicit: every weight and bias U(-1/sqrt(H), 1/sqrt(H)), sigmoid gates. */
export const PYTORCH_GATED_DEFAULTS: Pick<ModelConfig, 'recurrentInit' | 'inputInit' | 'biasInit' | 'forgetBias' | 'recurrentActivation'> = {
  recurrentInit: { kind: 'pytorchDefault' },
  inputInit: { kind: 'pytorchDefault' },
  biasInit: { kind: 'pytorchDefault' },
  forgetBias: 'init',
  recurrentActivation: 'sigmoid',
};

/** Number of gate blocks in W_ih/W_hh for each architecture. */
export function gateCount(architecture: Architecture): number {
  return architecture === 'lstm' ? 4 : architecture === 'gru' ? 3 : 1;
}

/** Builds a full config from a partial one on top of the demo configuration. */
export function makeConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return { ...DEMO_CONFIG, ...overrides };
}
