import { ConfigError } from '../../config/errors.js';
import type { SolveRule } from '../../experiments/train.js';
import type { TrainingDomain } from '../types.js';

/**
 * Which training runs decide the training claims. `full` is the experiment (every model of
 * src/experiments/models.ts, recall at lags 5–100 and adding at lags 10 and 50, 3 seeds, one
 * budget), run by `npm run verify` and the main CI job. `reduced` is the part of it that
 * `npm test` can afford: the demo RNN and the LSTM with forget bias 1 on recall at lags 5–50.
 * Both use the same seeds and budget, so every reduced per-lag region is a region of the full
 * run with the same runs (the report test checks the published verdicts against it); regions
 * over several lags name their lag range in their id, so the two plans' differ.
 */
export type TrainingProfile = 'reduced' | 'full';
export const TRAINING_PROFILES: readonly TrainingProfile[] = ['reduced', 'full'];

export interface TrainingTaskPlan {
  readonly task: TrainingDomain['task'];
  readonly models: readonly string[];
  readonly lags: readonly number[];
}

export interface TrainingPlan {
  readonly profile: TrainingProfile;
  readonly seeds: readonly number[];
  readonly budget: TrainingDomain['budget'];
  readonly tasks: readonly TrainingTaskPlan[];
}

/** Every model gets this budget at every lag: 300 Adam updates of 32 fresh sequences, lr 3·10⁻³, 32 hidden units. */
export const TRAINING_BUDGET: TrainingDomain['budget'] = { steps: 300, batchSize: 32, learningRate: 3e-3, hiddenSize: 32 };
export const TRAINING_SEEDS: readonly number[] = [1, 2, 3];

/**
 * The train-to-criterion rule: the held-out set every 100 updates; a run is solved at the third
 * consecutive evaluation at or below the learned criterion (reached, then held for 200 more
 * updates), and stops there.
 */
export const TRAINING_SOLVE_RULE: SolveRule = { every: 100, confirmations: 2, stop: true };

/** Budgets at which a training region's verdict is read off its runs' solvedAt: 250, 500, 1000, … doubling below the cap, then the cap. */
export function budgetLadder(cap: number): number[] {
  const out: number[] = [];
  for (let b = 250; b < cap; b *= 2) out.push(b);
  out.push(cap);
  return out;
}

const ALL_MODELS = ['rnn-demo', 'rnn-orthogonal', 'residual', 'layernorm', 'lstm-fb0', 'lstm-fb1', 'gru'];

const PLANS: Record<TrainingProfile, TrainingPlan> = {
  full: {
    profile: 'full', seeds: TRAINING_SEEDS, budget: TRAINING_BUDGET,
    tasks: [
      { task: 'recall', models: ALL_MODELS, lags: [5, 10, 20, 50, 100] },
      { task: 'adding', models: ALL_MODELS, lags: [10, 50] },
    ],
  },
  reduced: {
    profile: 'reduced', seeds: TRAINING_SEEDS, budget: TRAINING_BUDGET,
    tasks: [{ task: 'recall', models: ['rnn-demo', 'lstm-fb1'], lags: [5, 10, 20, 50] }],
  },
};

/** The plan of a profile; VG_TRAINING picks it (default: reduced). */
export function trainingPlan(profile: string | undefined = process.env.VG_TRAINING): TrainingPlan {
  const name = profile === undefined || profile === '' ? 'reduced' : profile;
  if (!(TRAINING_PROFILES as readonly string[]).includes(name)) throw new ConfigError('VG_TRAINING', name, `one of ${TRAINING_PROFILES.join(', ')}`);
  return PLANS[name as TrainingProfile];
}
