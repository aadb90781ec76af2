import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { GradientNormDetector } from '../../src/experiments/detector.js';
import { runGrid } from '../../src/experiments/grid.js';
import { modelSpec, taskConfig } from '../../src/experiments/models.js';
import { recallTask } from '../../src/experiments/tasks.js';
import { type TrainBudget, trainModels } from '../../src/experiments/train.js';
import { type Tolerance, describeMismatch, isClose } from '../../src/numerics/close.js';

/** Small enough for the cpu backend: a few seconds per test. */
const TINY: TrainBudget = { steps: 6, batchSize: 8, learningRate: 1e-2, hiddenSize: 8 };
const EVAL = { evalBatchSize: 64 };
/** One model alone vs the same model beside another on the config axis: the same float32 sums, up to batched-kernel reordering. */
const ALONE_TOL: Tolerance = { atol: 0, rtol: 1e-5 };
const show = (v: readonly number[]): string => `[${v.slice(0, 4).join(', ')}${v.length > 4 ? ', …' : ''}] (${v.length})`;

beforeAll(async () => {
  await resolveBackend();
});

describe(`training engine (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  it('should decrease the eval loss on an easy lag (recall, lag 2) and call it learned', async () => {
    const task = recallTask(2);
    const budget: TrainBudget = { steps: 60, batchSize: 16, learningRate: 1e-2, hiddenSize: 16 };
    const started = performance.now();
    const [run] = await trainModels([taskConfig(modelSpec('rnn-orthogonal'), task, budget.hiddenSize, 1)], task, budget, EVAL);
    const note =
      `eval loss ${run.initial.loss.toFixed(3)} → ${run.final.loss.toFixed(3)} (baseline ${task.baseline}), ` +
      `${(performance.now() - started).toFixed(0)} ms`;
    expect(run.final.loss, `final loss ${run.final.loss} against half the initial ${0.5 * run.initial.loss}: ${note}`).toBeLessThan(0.5 * run.initial.loss);
    expect(run.learned, `learned ${run.learned} (solvedAt ${run.solvedAt}): ${note}`).toBe(true);
    expect(run.steps.length, `${run.steps.length} update records against ${budget.steps} updates`).toBe(budget.steps);
  });

  it('should leak no tensors through trainModels and runGrid', async () => {
    const before = tf.memory().numTensors;
    const task = recallTask(3);
    await trainModels(
      [1, 2].map((s) => taskConfig(modelSpec('lstm-fb1'), task, TINY.hiddenSize, s)),
      task,
      TINY,
      EVAL,
    );
    const afterTrain = tf.memory().numTensors;
    expect(afterTrain, `tensors after trainModels ${afterTrain} against before ${before}`).toBe(before);
    await runGrid({
      models: [modelSpec('gru'), modelSpec('residual'), modelSpec('layernorm')],
      task: 'adding',
      lags: [2],
      seeds: [1],
      budget: TINY,
      options: EVAL,
    });
    const afterGrid = tf.memory().numTensors;
    expect(afterGrid, `tensors after runGrid ${afterGrid} against before ${before}`).toBe(before);
  });

  it('should give bit-identical runs for the same seed (no backend nondeterminism observed)', async () => {
    const task = recallTask(4);
    const configs = [taskConfig(modelSpec('gru'), task, TINY.hiddenSize, 7)];
    const [a] = await trainModels(configs, task, TINY, EVAL);
    const [b] = await trainModels(configs, task, TINY, EVAL);
    const [lossA, lossB] = [a, b].map((r) => r.steps.map((s) => s.loss));
    const [normA, normB] = [a, b].map((r) => r.steps.map((s) => s.params.weight_hh!.norm));
    expect(lossB, `update losses of the second run ${show(lossB)} against the first ${show(lossA)}`).toEqual(lossA);
    expect(normB, `‖∇W_hh‖ of the second run ${show(normB)} against the first ${show(normA)}`).toEqual(normA);
    expect(b.final, `final evaluation of the second run ${JSON.stringify(b.final)} against the first ${JSON.stringify(a.final)}`).toEqual(a.final);
  });

  it('should train each model on the config axis as if it were trained alone (per-model clip and Adam)', async () => {
    const task = recallTask(3);
    const configs = [1, 2].map((s) => taskConfig(modelSpec('lstm-fb0'), task, TINY.hiddenSize, s));
    const [, together] = await trainModels(configs, task, TINY, EVAL);
    const [alone] = await trainModels([configs[1]], task, TINY, EVAL);
    together.steps.forEach((s, i) =>
      expect(
        isClose(s.loss, alone.steps[i].loss, ALONE_TOL),
        describeMismatch(`loss at update ${i}, together vs alone`, s.loss, alone.steps[i].loss, ALONE_TOL),
      ).toBe(true),
    );
    expect(
      isClose(together.final.loss, alone.final.loss, ALONE_TOL),
      describeMismatch('final held-out loss, together vs alone', together.final.loss, alone.final.loss, ALONE_TOL),
    ).toBe(true);
  });

  it('should record the detector statistics at every update and the probes every logEvery updates and at the last', async () => {
    const task = recallTask(5);
    const detector = new GradientNormDetector();
    const [run] = await trainModels(
      [taskConfig(modelSpec('rnn-demo'), task, TINY.hiddenSize, 3)],
      task,
      { ...TINY, steps: 7 },
      { ...EVAL, logEvery: 3, onStep: detector.callback(0) },
    );
    const probeSteps = run.probes.map((p) => p.step);
    expect(probeSteps, `probe steps [${probeSteps.join(', ')}] against [0, 3, 6]`).toEqual([0, 3, 6]);
    expect(detector.history.length, `onStep calls ${detector.history.length} against 7 updates`).toBe(7);
    const names = Object.keys(run.steps[0].params).sort();
    const expectedNames = ['bias_hh', 'bias_ih', 'readout.bias', 'readout.weight', 'weight_hh', 'weight_ih'];
    expect(names, `recorded tensors [${names.join(', ')}] against [${expectedNames.join(', ')}]`).toEqual(expectedNames);
    for (const p of run.probes) {
      expect(p.gradState.log10.length, `probe at ${p.step}: ${p.gradState.log10.length} steps of ∂L/∂s_t against T = ${task.seqLength}`).toBe(task.seqLength);
      // h_{−1} = 0, so step 0's term h_{−1}ᵀ·δu_0 of ∂L/∂W_hh is exactly zero: flagged, never a fake number.
      expect(
        p.wHhTerms.underflow[0],
        `probe at ${p.step}: step 0's W_hh term flagged ${p.wHhTerms.underflow[0]} (log10 ${p.wHhTerms.log10[0]}), an underflow expected`,
      ).toBe(true);
      const rest = p.wHhTerms.log10.slice(1);
      expect(
        rest.every((v) => v !== null && Number.isFinite(v)),
        `probe at ${p.step}: W_hh terms from step 1 should all be finite: ${rest.join(', ')}`,
      ).toBe(true);
    }
    expect(run.initial.collapse, `initial collapse ${run.initial.collapse} against ≥ 0`).toBeGreaterThanOrEqual(0);
    expect(run.final.accuracy, `final accuracy ${run.final.accuracy}, a number expected for recall`).not.toBeNull();
  });
});
