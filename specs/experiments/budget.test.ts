import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { cellAt, runAt } from '../../src/claims/training/budget.js';
import { driftOf } from '../../src/claims/sections/drift.js';
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
    expect(long.solvedAt, `the long run's solvedAt ${long.solvedAt}, null expected (else this test checks nothing)`).toBeNull();
    const readLosses = read.steps.map((s) => s.loss),
      shortLosses = short.steps.map((s) => s.loss);
    expect(
      readLosses,
      `update losses read at 60 [${readLosses.slice(0, 4).join(', ')}, …] (${readLosses.length}) against ` +
        `the 60-update run's [${shortLosses.slice(0, 4).join(', ')}, …] (${shortLosses.length})`,
    ).toEqual(shortLosses);
    expect(read.curve, `held-out curve read at 60 ${JSON.stringify(read.curve)} against ${JSON.stringify(short.curve)}`).toEqual(short.curve);
    expect(read.final.loss, `final held-out loss read at 60 ${read.final.loss} against ${short.final.loss}`).toBe(short.final.loss);
    expect(
      read.final.activations,
      `final activation statistics read at 60 ${JSON.stringify(read.final.activations)} against ${JSON.stringify(short.final.activations)}`,
    ).toEqual(short.final.activations);
    expect(read.final.activations, 'the rnn-demo run records activation statistics (else the line above checks nothing)').not.toBeNull();
    // The short run also probes its last update (59), which the long run never did: probes are compared where both took one.
    const shared = short.probes.filter((p) => read.probes.some((q) => q.step === p.step));
    expect(
      read.probes,
      `probes before update 60 at steps ${read.probes.map((p) => p.step).join(', ')} against the 60-update run's at ${shared.map((p) => p.step).join(', ')}`,
    ).toEqual(shared);
    const probeSteps = read.probes.map((p) => p.step);
    expect(probeSteps, `probe steps ${probeSteps.join(', ')} against 0, 10, …, 50`).toEqual([0, 10, 20, 30, 40, 50]);
    expect(read.plateau, `plateau read at 60 ${JSON.stringify(read.plateau)} against ${JSON.stringify(short.plateau)}`).toEqual(short.plateau);
    const state = [read.updates, read.learned, read.solvedAt];
    expect(state, `updates, learned, solvedAt read at 60: ${JSON.stringify(state)} against [60, false, null]`).toEqual([60, false, null]);
    expect(Number.isNaN(read.final.collapse), `collapse read at 60: ${read.final.collapse}, NaN expected (unknown before the end)`).toBe(true);
  });

  it('should leave a run unchanged at a budget at or past where it stopped, and mark it unlearned before its solvedAt', async () => {
    const cells = await runGrid({
      models: [modelSpec('rnn-orthogonal')],
      task: 'recall',
      lags: [2],
      seeds: [1],
      budget: BUDGET,
      options: { solve: RULE, evalBatchSize: 32 },
    });
    const cell = cells[0];
    const s = cell.run.solvedAt;
    expect(s, `solvedAt ${s}, a step expected (else this test checks nothing)`).not.toBeNull();
    const atSolved = cellAt(cell, s!),
      atCap = cellAt(cell, BUDGET.steps);
    expect(atSolved, `cell read at solvedAt ${s}: updates ${atSolved.run.updates}, solvedAt ${atSolved.run.solvedAt}, the same object expected`).toBe(cell);
    expect(atCap, `cell read at the cap ${BUDGET.steps}: updates ${atCap.run.updates}, solvedAt ${atCap.run.solvedAt}, the same object expected`).toBe(cell);
    const before = cellAt(cell, s! - 1);
    const state = [before.run.learned, before.run.solvedAt, before.run.updates];
    expect(state, `learned, solvedAt, updates one update before solvedAt: ${JSON.stringify(state)} against [false, null, ${s! - 1}]`).toEqual([
      false,
      null,
      s! - 1,
    ]);
  });

  it("should read VG-TANH-DRIFT's last evaluation at the last curve point within the budget", async () => {
    const [cell] = await runGrid({
      models: [modelSpec('layernorm')],
      task: 'recall',
      lags: [30],
      seeds: [1],
      budget: BUDGET,
      options: { solve: RULE, evalBatchSize: 32 },
    });
    const full = driftOf(cell);
    const cut = driftOf(cellAt(cell, 55));
    const at50 = cell.run.curve.find((p) => p.step === 50);
    expect(full.lastUpdate, `last evaluation of the whole run at ${full.lastUpdate}, the cap ${BUDGET.steps} expected (solvedAt ${cell.run.solvedAt})`).toBe(
      BUDGET.steps,
    );
    expect(cut.lastUpdate, `last evaluation read at 55: ${cut.lastUpdate}, 50 expected`).toBe(50);
    expect(cut.last, `activations read at 55 ${JSON.stringify(cut.last)} against the evaluation at 50 ${JSON.stringify(at50?.activations)}`).toEqual(
      at50?.activations,
    );
    expect(
      cut.initial,
      `activations before training read at 55 ${JSON.stringify(cut.initial)} against the whole run's ${JSON.stringify(full.initial)}`,
    ).toEqual(full.initial);
  });
});
