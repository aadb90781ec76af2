import { ConfigError } from '../../config/errors.js';
import { modelSpec } from '../../experiments/models.js';
import { makeTask } from '../../experiments/tasks.js';
import type { SolveRule } from '../../experiments/train.js';
import { gateCount } from '../../kernels/recurrent.js';
import type { TrainingDomain } from '../../engine/types.js';

/**
 * Which training runs decide the training claims. `full` is the experiment (every model of
 * src/experiments/models.ts, recall at lags 5–100 and adding at lags 10, 20 and 50, 5 seeds, each
 * run trained to the learned criterion or the cap), run by `npm run verify` and the CI shards.
 * `reduced` is the part of it that `npm test` can afford: the regions that solve quickly (the two
 * vanilla RNNs, the LSTM with forget bias 1 and the GRU on recall at lags 5, 10 and 20). Both use
 * the same seeds, protocol and cap, so every reduced per-lag region is a region of the full run
 * with the same runs (the report test checks the published verdicts against it); regions over
 * several lags name their lag range in their id, so the two plans' differ.
 */
export type TrainingProfile = 'reduced' | 'full';
export const TRAINING_PROFILES: readonly TrainingProfile[] = ['reduced', 'full'];

export interface TrainingTaskPlan {
  readonly task: TrainingDomain['task'];
  /** The models whose regions this plan decides. */
  readonly models: readonly string[];
  readonly lags: readonly number[];
  /**
   * Models trained beside them for other claims' premises, with no regions of their own here: a
   * shard trains the vanilla RNNs at every (task, lag) it trains, since whether a gated model's
   * dependency is one "a vanilla RNN fails to learn" reads their runs (VG-GATED-LEARNS).
   */
  readonly alsoTrained?: readonly string[];
}

export interface TrainingPlan {
  readonly profile: TrainingProfile;
  readonly seeds: readonly number[];
  readonly budget: TrainingDomain['budget'];
  readonly tasks: readonly TrainingTaskPlan[];
}

/**
 * Every model gets this budget at every lag: Adam updates of 32 fresh sequences, lr 3·10⁻³, 32
 * hidden units, until the rule below is met or the cap of 8000 updates. The cap was chosen from
 * the full plan trained to 8000 (reports/TRAINING.md, "How much the outcomes move with the
 * budget"): the (model, task, lag) whose solved-seed count moves between b and 2b are 20, 11, 8,
 * 6 and 8 of 49 for b = 250 … 4000, so no cap in that range is stable; a cap of 4000 would publish
 * clean "cannot learn" verdicts that 8000 reverses (the demo RNN on recall at lags 50 and 100),
 * which at 8000 are labelled budget-limited; 16000 would double the full plan's training time.
 */
export const TRAINING_BUDGET: TrainingDomain['budget'] = { steps: 8000, batchSize: 32, learningRate: 3e-3, hiddenSize: 32 };
export const TRAINING_SEEDS: readonly number[] = [1, 2, 3, 4, 5];

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
/** The models other claims' premises read at every (task, lag): the vanilla RNNs (the cheapest: one gate block). */
const PREMISE_MODELS = ['rnn-demo', 'rnn-orthogonal'];

const PLANS: Record<TrainingProfile, TrainingPlan> = {
  full: {
    profile: 'full',
    seeds: TRAINING_SEEDS,
    budget: TRAINING_BUDGET,
    tasks: [
      { task: 'recall', models: ALL_MODELS, lags: [5, 10, 20, 50, 100] },
      // Lag 20 lets the lag grid place a memory of 10 to 20 steps on the adding problem ([10, 20) or [20, 50)), which {10, 50} cannot.
      { task: 'adding', models: ALL_MODELS, lags: [10, 20, 50] },
    ],
  },
  reduced: {
    profile: 'reduced',
    seeds: TRAINING_SEEDS,
    budget: TRAINING_BUDGET,
    tasks: [{ task: 'recall', models: ['rnn-demo', 'rnn-orthogonal', 'lstm-fb1', 'gru'], lags: [5, 10, 20] }],
  },
};

/**
 * The plan of a profile (the engine options' `training`; default reduced). With a shard ("i/N",
 * the options' `trainingShard`, which `vg verify --shard` sets), only the (task, model) units
 * assigned to shard i: the units' estimated costs are spread over N shards, longest first (planShards).
 */
export function trainingPlan(profile: string | undefined = 'reduced', shard: string | null | undefined = null): TrainingPlan {
  const name = profile === undefined || profile === '' ? 'reduced' : profile;
  if (!(TRAINING_PROFILES as readonly string[]).includes(name)) throw new ConfigError('training', name, `one of ${TRAINING_PROFILES.join(', ')}`);
  const plan = PLANS[name as TrainingProfile];
  if (shard === undefined || shard === null || shard === '') return plan;
  const m = /^(\d+)\/(\d+)$/.exec(shard);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new ConfigError('trainingShard', shard, 'i/N with 1 ≤ i ≤ N');
  const mine = planShards(plan, Number(m[2]))[Number(m[1]) - 1];
  return {
    ...plan,
    tasks: plan.tasks
      .map((t) => {
        const models = t.models.filter((model) => mine.some((u) => u.task === t.task && u.model === model));
        return { ...t, models, alsoTrained: PREMISE_MODELS.filter((model) => t.models.includes(model) && !models.includes(model)) };
      })
      .filter((t) => t.models.length > 0),
  };
}

/** A unit of sharding: one model on one task, every lag and seed (so regions over several lags stay whole). */
export interface PlanUnit {
  readonly task: TrainingTaskPlan['task'];
  readonly model: string;
  /** Estimated cost in multiply-adds if no run stops early: seeds × cap × Σ_lags T·(G·H)². */
  readonly cost: number;
}

/** The plan's units spread over `count` shards by estimated cost, longest first onto the lightest shard. */
export function planShards(plan: TrainingPlan, count: number): PlanUnit[][] {
  const units: PlanUnit[] = plan.tasks.flatMap((t) =>
    t.models.map((model) => {
      const G = gateCount(modelSpec(model).overrides.architecture ?? 'rnn');
      const H = plan.budget.hiddenSize;
      const steps = t.lags.reduce((n, lag) => n + makeTask(t.task, lag).seqLength, 0);
      return { task: t.task, model, cost: plan.seeds.length * plan.budget.steps * steps * (G * H) ** 2 };
    }),
  );
  const shards: PlanUnit[][] = Array.from({ length: count }, () => []);
  const load = new Array<number>(count).fill(0);
  for (const u of [...units].sort((a, b) => b.cost - a.cost)) {
    const i = load.indexOf(Math.min(...load));
    shards[i].push(u);
    load[i] += u.cost;
  }
  return shards;
}
