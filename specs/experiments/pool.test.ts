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
    const spec = {
      models: ['rnn-demo', 'lstm-fb1', 'gru'].map(modelSpec),
      task: 'recall' as const,
      lags: [3, 6],
      seeds: [1, 2],
      budget: BUDGET,
      options: { evalBatchSize: 32 },
    };
    const alone = await runGrid(spec, undefined, 1);
    const pooled = await runGrid(spec, undefined, 2);
    const pooledOrder = pooled.map((c) => `${c.model}/${c.lag}/${c.seed}`),
      aloneOrder = alone.map((c) => `${c.model}/${c.lag}/${c.seed}`);
    expect(pooledOrder, `cell order with 2 workers [${pooledOrder.join(', ')}] against 1 worker [${aloneOrder.join(', ')}]`).toEqual(aloneOrder);
    pooled.forEach((c, i) =>
      expect(
        timeless(c.run),
        `${c.model} lag ${c.lag} seed ${c.seed}: run from a worker (final loss ${c.run.final.loss}) vs this thread (final loss ${alone[i].run.final.loss})`,
      ).toEqual(timeless(alone[i].run)),
    );
  });

  it('should report a failing group with its cause, not hang', async () => {
    const task = recallTask(2);
    const good = { configs: [taskConfig(modelSpec('rnn-demo'), task, 4, 1)], task: { kind: 'recall' as const, lag: 2 }, budget: { ...BUDGET, hiddenSize: 4 } };
    const bad = { ...good, budget: { ...good.budget, steps: 0 } };
    const cause = /group 1 failed.*integer steps ≥ 2/s;
    await expect(
      trainGroups([good, bad], 2),
      `groups with ${good.budget.steps} and ${bad.budget.steps} steps: a rejection matching ${cause} expected`,
    ).rejects.toThrow(cause);
  });

  it('should order groups by cost and read the worker count from VG_JOBS', () => {
    const group = (name: string, lag: number) => ({
      configs: [taskConfig(modelSpec(name), recallTask(lag), 32, 1)],
      task: { kind: 'recall' as const, lag },
      budget: BUDGET,
    });
    const lstm10 = groupCost(group('lstm-fb1', 10)),
      rnn10 = groupCost(group('rnn-demo', 10)),
      rnn50 = groupCost(group('rnn-demo', 50));
    expect(lstm10, `an LSTM at lag 10 costs ${lstm10} against a vanilla RNN's ${rnn10}`).toBeGreaterThan(rnn10);
    expect(rnn50, `a vanilla RNN at lag 50 costs ${rnn50} against ${rnn10} at lag 10`).toBeGreaterThan(rnn10);
    expect(defaultJobs(), `default workers ${defaultJobs()} against one per core (${availableParallelism()})`).toBe(availableParallelism());
  });
});
