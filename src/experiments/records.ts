import type { ModelConfig } from '../config/types.js';
import type { Log10Series } from '../numerics/log-norm.js';
import type { ParamGradStats } from '../probes/param-grads.js';
import type { PlateauResult, RecurrentSpectrum } from './metrics.js';
import type { Task } from './tasks.js';
import type { TrainableName } from './trainable.js';

/** The budget of a training run, identical across models at a lag. */
export interface TrainBudget {
  /** Adam updates. */
  readonly steps: number;
  /** Fresh sequences per update (per model). */
  readonly batchSize: number;
  readonly learningRate: number;
  readonly hiddenSize: number;
}

/** What the training loop records at every update, per model (gradients are taken before clipping). */
export interface StepRecord {
  readonly loss: number;
  /** Global L2 norm of the model's gradient before clipping. */
  readonly gradNorm: number;
  /** The document's detector quantities for every trainable tensor of the model. */
  readonly params: Partial<Record<TrainableName, ParamGradStats>>;
}

export interface StepEvent extends StepRecord {
  readonly step: number;
  readonly model: number;
}

/** The probes taken every `logEvery` updates (on that update's batch, before its update). */
export interface ProbeRecord {
  readonly step: number;
  /** log10 ‖∂L/∂s_t‖ over the batch (s = [h; c] for the LSTM), t = 0..T−1. */
  readonly gradState: Log10Series;
  /** log10 ‖G_t‖_F of step t's term G_t = h_{t−1}ᵀ·∂L/∂u_t of ∂L/∂W_hh (from per-step W_hh copies). */
  readonly wHhTerms: Log10Series;
  /** ‖∇W_hh‖ / ‖∇W_ih‖. */
  readonly hhOverIh: number;
}

/**
 * How the hidden activations of a tanh cell are spread, over every unit, step and sequence of a
 * held-out set: a is the tanh's output, whose slope tanh′ = 1 − a² is the diag(σ′) factor of the
 * cell's Jacobian (the document's "Why γ < 1 Is the Common Case"). Which a each cell has is
 * stated once, in activations.ts (tanhOutputOf).
 */
export interface ActivationStats {
  /** Mean |a|. */
  readonly meanAbs: number;
  /** Mean tanh′ = mean (1 − a²): the average diagonal entry of diag(σ′), 1 at a = 0. */
  readonly meanSlope: number;
  /** Share of the values with |a| > SATURATED_ABS (0.9, where tanh′ < 0.19). */
  readonly saturatedShare: number;
}

export interface EvalRecord {
  readonly loss: number;
  readonly accuracy: number | null;
  /** The held-out set's activation statistics (the first half of the evaluation batch); null for a cell with no tanh output of its own (LSTM, GRU) or another activation. */
  readonly activations: ActivationStats | null;
  /** Hidden-state collapse: RMS ‖h_{T−1}(x) − h_{T−1}(x')‖ / RMS ‖h_{T−1}(x)‖ over the eval batch, x' = x with every input before step T−lag redrawn. */
  readonly collapse: number;
}

/** One held-out evaluation during training (step = updates done). */
export interface CurvePoint {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number | null;
  /** The held-out set's activation statistics at this evaluation (see EvalRecord.activations). */
  readonly activations: ActivationStats | null;
}

export interface TrainRun {
  readonly config: ModelConfig;
  readonly task: { readonly kind: Task['kind']; readonly lag: number; readonly seqLength: number; readonly baseline: number };
  readonly budget: TrainBudget;
  readonly steps: readonly StepRecord[];
  readonly probes: readonly ProbeRecord[];
  readonly initial: EvalRecord;
  readonly final: EvalRecord;
  /** The protocol: evaluation interval, confirmations, early stop (train.ts's SolveRule). */
  readonly rule: { readonly every: number; readonly confirmations: number; readonly stop: boolean };
  /** Held-out loss at step 0, every `rule.every` updates and at the last update. */
  readonly curve: readonly CurvePoint[];
  /** The update at which the rule was met, or null. */
  readonly solvedAt: number | null;
  /** Updates the model received: the cap, or solvedAt when it stopped there. */
  readonly updates: number;
  /** Lowest held-out loss on the curve. */
  readonly bestLoss: number;
  /** The rule was met (solvedAt is not null). */
  readonly learned: boolean;
  readonly plateau: PlateauResult;
  /** The trained W_hh's extreme singular values at the end of training (null for gated cells; absent from runs recorded before it existed). */
  readonly finalRecurrent?: RecurrentSpectrum | null;
  /** Wall time of the whole batch of C models (shared). */
  readonly wallMs: number;
  /** The tfjs backend, or 'wasm-kernel' when the fused kernel ran the updates. */
  readonly backend: string;
}
