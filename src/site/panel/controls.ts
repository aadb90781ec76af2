import { DEMO_CONFIG, type ForgetBias, type InitScheme, type ModelConfig } from '../../config/types.js';

/** The cells the reader chooses from: the vanilla cells, the document's residual and layer-norm cells, the LSTM by forget bias, the GRU. */
export const PANEL_CELLS: ReadonlyArray<{
  readonly value: string;
  readonly label: string;
  readonly config: Pick<ModelConfig, 'architecture' | 'activation' | 'forgetBias'>;
}> = [
  { value: 'rnn-tanh', label: 'vanilla RNN, tanh', config: { architecture: 'rnn', activation: 'tanh', forgetBias: 'init' } },
  { value: 'rnn-relu', label: 'vanilla RNN, ReLU', config: { architecture: 'rnn', activation: 'relu', forgetBias: 'init' } },
  { value: 'residual', label: 'residual cell (tanh)', config: { architecture: 'residual', activation: 'tanh', forgetBias: 'init' } },
  { value: 'layernorm', label: 'layer-norm cell (tanh)', config: { architecture: 'layernorm', activation: 'tanh', forgetBias: 'init' } },
  ...(['zero', 'one', 'chrono', 'large', 'init'] as const).map((fb: ForgetBias) => ({
    value: `lstm-${fb}`,
    label: `LSTM, forget bias ${fb === 'zero' ? '0' : fb === 'one' ? '1' : fb === 'init' ? 'as initialised' : fb}`,
    config: { architecture: 'lstm' as const, activation: 'tanh' as const, forgetBias: fb },
  })),
  { value: 'gru', label: 'GRU', config: { architecture: 'gru', activation: 'tanh', forgetBias: 'init' } },
];

/** The recurrent initialisations of config/types.ts; `scale` says what the panel's scale input means for each. */
export const PANEL_INITS: ReadonlyArray<{ readonly value: InitScheme['kind']; readonly label: string; readonly scale: string | null }> = [
  { value: 'pytorchDefault', label: 'PyTorch default U(±1/√H)', scale: null },
  { value: 'orthogonal', label: 'orthogonal', scale: 'gain' },
  { value: 'identity', label: 'identity (IRNN)', scale: 'scale' },
  { value: 'normal', label: 'normal N(0, σ²)', scale: 'σ' },
  { value: 'uniform', label: 'uniform U(−a, a)', scale: 'a' },
  { value: 'glorotUniform', label: 'Xavier/Glorot uniform', scale: null },
  { value: 'zeros', label: 'zeros', scale: null },
];

/** The panel's ranges: every configuration in them computes in about a second or less in a browser. */
export const PANEL_LIMITS = { hiddenSize: [2, 64], seqLength: [2, 300] } as const;

/** What the controls hold. */
export interface PanelChoice {
  readonly cell: string;
  readonly init: InitScheme['kind'];
  readonly initScale: number;
  readonly hiddenSize: number;
  readonly seqLength: number;
  readonly seed: number;
}

/** The default: the vanilla tanh RNN at PyTorch's default, H = 32, T = 50. */
export const DEFAULT_CHOICE: PanelChoice = { cell: 'rnn-tanh', init: 'pytorchDefault', initScale: 1, hiddenSize: 32, seqLength: 50, seed: DEMO_CONFIG.seed };

function initOf(kind: InitScheme['kind'], scale: number): InitScheme {
  switch (kind) {
    case 'orthogonal':
      return { kind, gain: scale };
    case 'identity':
      return { kind, scale };
    case 'normal':
      return { kind, std: scale };
    case 'uniform':
      return { kind, low: -scale, high: scale };
    default:
      return { kind };
  }
}

/**
 * The ModelConfig of a choice (not yet validated: panelProfile validates it). Inputs as wide as
 * the state (D = H, as the claims' regions draw them), PyTorch's default input weights and biases,
 * sigmoid gates, N(0, 1) inputs.
 */
export function configOf(choice: PanelChoice): ModelConfig {
  const cell = PANEL_CELLS.find((c) => c.value === choice.cell) ?? PANEL_CELLS[0];
  return {
    ...DEMO_CONFIG,
    ...cell.config,
    inputSize: choice.hiddenSize,
    hiddenSize: choice.hiddenSize,
    seqLength: choice.seqLength,
    recurrentInit: initOf(choice.init, choice.initScale),
    inputInit: { kind: 'pytorchDefault' },
    biasInit: { kind: 'pytorchDefault' },
    recurrentActivation: 'sigmoid',
    seed: choice.seed,
  };
}
