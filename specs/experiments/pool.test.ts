import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { runGrid } from '../../src/experiments/grid.js';
import { modelSpec } from '../../src/experiments/models.js';
import { defaultJobs, groupCost, trainGroups } from '../../src/experiments/pool.js';
import { taskConfig } from '../../src/experiments/models.js';
import { recallTask } from '../../src/experiments/tasks.js';
import type { TrainBudget, TrainRun } from '../../src/experiments/train.js';

const BUDGET: TrainBudget = { steps: 12, batchSize: 8, learningRate: 1e-2, hiddenSize: 8 };

beforeAll(async () => {
  await resolveBackend();
});

/** A run without its wall time (the only field that may differ between workers). */
const timeless = (r: TrainRun): Omit<TrainRun, 'wallMs'> => {
  const { wallMs: _, ...rest } = r;
  return rest;
};

describe(`training worker pool (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  it('should give the same runs, in the same order, with 1 worker (this thread) and with 2 workers', async () => {
    const spec = { models: ['rnn-demo', 'lstm-fb1', 'gru'].map(modelSpec), task: 'recall' as const, lags: [3, 6], seeds: [1, 2], budget: BUDGET, options: { evalBatchSize: 32 } };
    const alone = await runGrid(spec, undefined, 1);
    const pooled = await runGrid(spec, undefined, 2);
    expect(pooled.map((c) => `${c.model}/${c.lag}/${c.seed}`), 'cell order').toEqual(alone.map((c) => `${c.model}/${c.lag}/${c.seed}`));
    pooled.forEach((c, i) => expect(timeless(c.run), `${c.model} lag ${c.lag} seed ${c.seed}: run from a worker vs this thread`).toEqual(timeless(alone[i].run)));
  });

  it('should report a failing group with its cause, not hang', async () => {
    const task = recallTask(2);
    const good = { configs: [taskConfig(modelSpec('rnn-demo'), task, 4, 1)], task: { kind: 'recall' as const, lag: 2 }, budget: { ...BUDGET, hiddenSize: 4 } };
    const bad = { ...good, budget: { ...good.budget, steps: 0 } };
    await expect(trainGroups([good, bad], 2), 'a group with 0 steps').rejects.toThrow(/group 1 failed.*integer steps ≥ 2/s);
  });

  it('should order groups by cost and read the worker count from VG_JOBS', () => {
    const task = recallTask(10);
    const group = (name: string, lag: number) => ({ configs: [taskConfig(modelSpec(name), recallTask(lag), 32, 1)], task: { kind: 'recall' as const, lag }, budget: BUDGET });
    expect(groupCost(group('lstm-fb1', 10)), 'an LSTM costs more than a vanilla RNN at one lag').toBeGreaterThan(groupCost(group('rnn-demo', 10)));
    expect(groupCost(group('rnn-demo', 50)), 'a longer lag costs more').toBeGreaterThan(groupCost(group('rnn-demo', 10)));
    expect(task.lag).toBe(10);
    expect(defaultJobs(), `default workers: one per core (${availableParallelism()})`).toBe(availableParallelism());
  });
});
