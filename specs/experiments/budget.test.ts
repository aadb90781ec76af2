import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { cellAt, runAt } from '../../src/claims/training/budget.js';
import { runGrid } from '../../src/experiments/grid.js';
import { modelSpec } from '../../src/experiments/models.js';
import { recallTask } from '../../src/experiments/tasks.js';
import { trainModels } from '../../src/experiments/train.js';
import { taskConfig } from '../../src/experiments/models.js';

/** A run read at a smaller budget must equal what training stopped at that budget records (no extra training needed). */

const RULE = { every: 10, confirmations: 2, stop: true };
const BUDGET = { steps: 120, batchSize: 16, learningRate: 1e-2, hiddenSize: 8 };

beforeAll(async () => {
  await resolveBackend();
});

describe('training runs read at a smaller budget', () => {
  it('should match a run trained with that budget as its cap, for a run that has not stopped by then', async () => {
    const task = recallTask(30); // not solved within the budget: every update is trained
    const config = taskConfig(modelSpec('rnn-demo'), task, BUDGET.hiddenSize, 1);
    const [long] = await trainModels([config], task, BUDGET, { solve: RULE, evalBatchSize: 32, logEvery: 10 });
    const [short] = await trainModels([config], task, { ...BUDGET, steps: 60 }, { solve: RULE, evalBatchSize: 32, logEvery: 10 });
    const read = runAt(long, 60);
    expect(long.solvedAt, 'the long run is not solved (else this test checks nothing)').toBeNull();
    expect(read.steps.map((s) => s.loss), 'update losses').toEqual(short.steps.map((s) => s.loss));
    expect(read.curve, 'held-out curve').toEqual(short.curve);
    expect(read.final.loss, 'final held-out loss').toBe(short.final.loss);
    // The short run also probes its last update (59), which the long run never did: probes are compared where both took one.
    expect(read.probes, 'probes before update 60').toEqual(short.probes.filter((p) => read.probes.some((q) => q.step === p.step)));
    expect(read.probes.map((p) => p.step), 'probe steps').toEqual([0, 10, 20, 30, 40, 50]);
    expect(read.plateau, 'plateau').toEqual(short.plateau);
    expect([read.updates, read.learned, read.solvedAt], 'updates, learned, solvedAt').toEqual([60, false, null]);
    expect(Number.isNaN(read.final.collapse), 'collapse is unknown before the end').toBe(true);
  });

  it('should leave a run unchanged at a budget at or past where it stopped, and mark it unlearned before its solvedAt', async () => {
    const cells = await runGrid({ models: [modelSpec('rnn-orthogonal')], task: 'recall', lags: [2], seeds: [1], budget: BUDGET, options: { solve: RULE, evalBatchSize: 32 } });
    const cell = cells[0];
    const s = cell.run.solvedAt;
    expect(s, 'solved (else this test checks nothing)').not.toBeNull();
    expect(cellAt(cell, s!), 'at solvedAt').toBe(cell);
    expect(cellAt(cell, BUDGET.steps), 'at the cap').toBe(cell);
    const before = cellAt(cell, s! - 1);
    expect([before.run.learned, before.run.solvedAt, before.run.updates], 'one update earlier').toEqual([false, null, s! - 1]);
  });
});
