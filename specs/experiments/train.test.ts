import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { GradientNormDetector } from '../../src/experiments/detector.js';
import { runGrid } from '../../src/experiments/grid.js';
import { modelSpec, taskConfig } from '../../src/experiments/models.js';
import { recallTask } from '../../src/experiments/tasks.js';
import { type TrainBudget, trainModels } from '../../src/experiments/train.js';

/** Small enough for the cpu backend: a few seconds per test. */
const TINY: TrainBudget = { steps: 6, batchSize: 8, learningRate: 1e-2, hiddenSize: 8 };
const EVAL = { evalBatchSize: 64 };

beforeAll(async () => {
  await resolveBackend();
});

describe(`training engine (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  it('should decrease the eval loss on an easy lag (recall, lag 2) and call it learned', async () => {
    const task = recallTask(2);
    const budget: TrainBudget = { steps: 60, batchSize: 16, learningRate: 1e-2, hiddenSize: 16 };
    const started = performance.now();
    const [run] = await trainModels([taskConfig(modelSpec('rnn-orthogonal'), task, budget.hiddenSize, 1)], task, budget, EVAL);
    const note = `eval loss ${run.initial.loss.toFixed(3)} → ${run.final.loss.toFixed(3)} (baseline ${task.baseline}), ${(performance.now() - started).toFixed(0)} ms`;
    expect(run.final.loss, note).toBeLessThan(0.5 * run.initial.loss);
    expect(run.learned, note).toBe(true);
    expect(run.steps.length).toBe(budget.steps);
  });

  it('should leak no tensors through trainModels and runGrid', async () => {
    const before = tf.memory().numTensors;
    const task = recallTask(3);
    await trainModels([1, 2].map((s) => taskConfig(modelSpec('lstm-fb1'), task, TINY.hiddenSize, s)), task, TINY, EVAL);
    expect(tf.memory().numTensors, 'after trainModels').toBe(before);
    await runGrid({ models: [modelSpec('gru'), modelSpec('residual'), modelSpec('layernorm')], task: 'adding', lags: [2], seeds: [1], budget: TINY, options: EVAL });
    expect(tf.memory().numTensors, 'after runGrid').toBe(before);
  });

  it('should give bit-identical runs for the same seed (no backend nondeterminism observed)', async () => {
    const task = recallTask(4);
    const configs = [taskConfig(modelSpec('gru'), task, TINY.hiddenSize, 7)];
    const [a] = await trainModels(configs, task, TINY, EVAL);
    const [b] = await trainModels(configs, task, TINY, EVAL);
    expect(b.steps.map((s) => s.loss)).toEqual(a.steps.map((s) => s.loss));
    expect(b.steps.map((s) => s.params.weight_hh!.norm)).toEqual(a.steps.map((s) => s.params.weight_hh!.norm));
    expect(b.final).toEqual(a.final);
  });

  it('should train each model on the config axis as if it were trained alone (per-model clip and Adam)', async () => {
    const task = recallTask(3);
    const configs = [1, 2].map((s) => taskConfig(modelSpec('lstm-fb0'), task, TINY.hiddenSize, s));
    const [, together] = await trainModels(configs, task, TINY, EVAL);
    const [alone] = await trainModels([configs[1]], task, TINY, EVAL);
    together.steps.forEach((s, i) => expect(Math.abs(s.loss - alone.steps[i].loss), `loss at update ${i}: ${s.loss} vs ${alone.steps[i].loss}`).toBeLessThanOrEqual(1e-5 * Math.abs(alone.steps[i].loss)));
    expect(Math.abs(together.final.loss - alone.final.loss)).toBeLessThanOrEqual(1e-5 * alone.final.loss);
  });

  it('should record the detector statistics at every update and the probes every logEvery updates and at the last', async () => {
    const task = recallTask(5);
    const detector = new GradientNormDetector();
    const [run] = await trainModels([taskConfig(modelSpec('rnn-demo'), task, TINY.hiddenSize, 3)], task, { ...TINY, steps: 7 }, { ...EVAL, logEvery: 3, onStep: detector.callback(0) });
    expect(run.probes.map((p) => p.step)).toEqual([0, 3, 6]);
    expect(detector.history.length, 'onStep called once per update').toBe(7);
    expect(Object.keys(run.steps[0].params).sort()).toEqual(['bias_hh', 'bias_ih', 'readout.bias', 'readout.weight', 'weight_hh', 'weight_ih']);
    for (const p of run.probes) {
      expect(p.gradState.log10.length).toBe(task.seqLength);
      // h_{−1} = 0, so step 0's term h_{−1}ᵀ·δu_0 of ∂L/∂W_hh is exactly zero: flagged, never a fake number.
      expect(p.wHhTerms.underflow[0]).toBe(true);
      expect(p.wHhTerms.log10.slice(1).every((v) => v !== null && Number.isFinite(v))).toBe(true);
    }
    expect(run.initial.collapse).toBeGreaterThanOrEqual(0);
    expect(run.final.accuracy).not.toBeNull();
  });
});
