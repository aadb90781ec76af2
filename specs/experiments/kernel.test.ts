import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { kernelsRun } from '../../src/backend/usage.js';
import type { ModelConfig } from '../../src/config/types.js';
import { EXPERIMENT_MODELS, type ModelSpec, taskConfig } from '../../src/experiments/models.js';
import { type Task, addingTask, recallTask } from '../../src/experiments/tasks.js';
import { type TrainBudget, type TrainRun, trainModels } from '../../src/experiments/train.js';
import type { TrainableName } from '../../src/experiments/trainable.js';
import { KERNEL_SOURCE_SHA256 } from '../../src/kernels/recurrent-wasm.js';
import { describeMismatch, isClose, isCloseLog10 } from '../../src/numerics/close.js';

/**
 * The fused WebAssembly kernel (src/kernels/recurrent.c) against the tfjs engine (bptt.ts on
 * this project's backend, itself checked against tfjs autodiff in bptt.test.ts): the same models
 * trained on the same batches for 50 Adam updates must give the same losses, gradient norms,
 * probes, evaluations and final weights within float32 tolerance. Runs on every backend project (wasm, cpu, node).
 */

/** Float32 sums in another order, compounded over 50 updates of a small model: relative 1e-4. */
const LOSS_TOL = { atol: 1e-6, rtol: 1e-4 };
const WEIGHT_TOL = { atol: 1e-5, rtol: 1e-4 };
/**
 * A gradient entry is a sum of terms that cancel (∂L/∂b of the readout is the batch's mean error),
 * so its float32 rounding scales with the terms, not with the entry: relative to a small entry it
 * can be large. The largest entry of a parameter's gradient is held to rtol 1e-4 of itself plus
 * 1e-4 of the update's global gradient norm. Measured worst, in units of this tolerance: 0.38 on
 * wasm, 0.25 on tfjs-node with its AVX2 kernels, whose rounding differs most from the kernel's;
 * against LOSS_TOL alone, |∇readout.bias| of rnn-relu at update 41 was 1.28 there (0.69 on wasm).
 */
function gradientStatTolerance(gradNorm: number): { atol: number; rtol: number } {
  return { atol: LOSS_TOL.atol + LOSS_TOL.rtol * gradNorm, rtol: LOSS_TOL.rtol };
}
/** Probes are log10 norms. */
const PROBE_DECADES = 1e-3;
const BUDGET: TrainBudget = { steps: 50, batchSize: 8, learningRate: 1e-2, hiddenSize: 16 };

/** Every cell, every activation the configs allow, odd sizes (the kernel's scalar tails) and both tasks. */
const VARIANTS: readonly { spec: ModelSpec; hidden: number; task: Task }[] = [
  ...EXPERIMENT_MODELS.map((spec, i) => ({ spec, hidden: i % 2 === 0 ? 16 : 10, task: i % 3 === 0 ? addingTask(6) : recallTask(6) })),
  {
    spec: { name: 'rnn-relu', overrides: { architecture: 'rnn', activation: 'relu', recurrentInit: { kind: 'orthogonal', gain: 1 } } },
    hidden: 13,
    task: recallTask(5),
  },
  { spec: { name: 'rnn-sigmoid', overrides: { architecture: 'rnn', activation: 'sigmoid' } }, hidden: 8, task: addingTask(5) },
  {
    spec: { name: 'rnn-linear', overrides: { architecture: 'rnn', activation: 'linear', recurrentInit: { kind: 'identity', scale: 0.9 } } },
    hidden: 8,
    task: recallTask(5),
  },
  { spec: { name: 'residual-relu', overrides: { architecture: 'residual', activation: 'relu' } }, hidden: 9, task: recallTask(5) },
  { spec: { name: 'layernorm-relu', overrides: { architecture: 'layernorm', activation: 'relu' } }, hidden: 12, task: addingTask(5) },
  {
    spec: { name: 'lstm-hard-sigmoid', overrides: { architecture: 'lstm', recurrentActivation: 'hardSigmoid', forgetBias: 'chrono' } },
    hidden: 11,
    task: recallTask(5),
  },
  { spec: { name: 'gru-hard-sigmoid', overrides: { architecture: 'gru', recurrentActivation: 'hardSigmoid' } }, hidden: 7, task: recallTask(5) },
];

beforeAll(async () => {
  await resolveBackend();
});

async function trainBoth(configs: readonly ModelConfig[], task: Task): Promise<{ runs: TrainRun[][]; weights: ReadonlyMap<TrainableName, Float32Array>[] }> {
  const weights: ReadonlyMap<TrainableName, Float32Array>[] = [];
  const runs: TrainRun[][] = [];
  for (const engine of ['tfjs', 'kernel'] as const) {
    const budget = { ...BUDGET, hiddenSize: configs[0].hiddenSize };
    runs.push(await trainModels(configs, task, budget, { engine, logEvery: 10, evalBatchSize: 64, onWeights: (w) => weights.push(w) }));
  }
  return { runs, weights };
}

describe(`fused training kernel against the tfjs engine (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  it('should embed a binary built from the current recurrent.c (run node scripts/build-kernel.mjs after changing it)', () => {
    const source = readFileSync(new URL('../../src/kernels/recurrent.c', import.meta.url));
    const sha = createHash('sha256').update(source).digest('hex');
    expect(KERNEL_SOURCE_SHA256, 'recurrent-wasm.ts was built from another recurrent.c').toBe(sha);
  });

  for (const { spec, hidden, task } of VARIANTS) {
    it(`should train ${spec.name} (H ${hidden}, ${task.kind} lag ${task.lag}) to the same losses, probes and weights for ${BUDGET.steps} updates`, async () => {
      const configs = [1, 2].map((seed) => taskConfig(spec, task, hidden, seed));
      const before = tf.memory().numTensors;
      const {
        runs: [ref, fast],
        weights: [wRef, wFast],
      } = await trainBoth(configs, task);
      expect(tf.memory().numTensors, 'tensors left behind by the two trainings').toBe(before);
      expect(fast[0].backend, 'the kernel engine ran').toBe('wasm-kernel');
      for (let c = 0; c < configs.length; c++) {
        const at = `${spec.name} seed ${configs[c].seed}`;
        expect(fast[c].steps.length, `${at}: updates`).toBe(ref[c].steps.length);
        ref[c].steps.forEach((r, s) => {
          const k = fast[c].steps[s];
          expect(isClose(k.loss, r.loss, LOSS_TOL), describeMismatch(`${at} update ${s} loss`, k.loss, r.loss, LOSS_TOL)).toBe(true);
          expect(isClose(k.gradNorm, r.gradNorm, LOSS_TOL), describeMismatch(`${at} update ${s} gradient norm`, k.gradNorm, r.gradNorm, LOSS_TOL)).toBe(true);
          const statTol = gradientStatTolerance(r.gradNorm);
          for (const [name, stats] of Object.entries(r.params)) {
            const ks = k.params[name as TrainableName]!;
            expect(
              isClose(ks.maxAbs, stats.maxAbs, statTol),
              describeMismatch(`${at} update ${s} max |∇${name}| (atol scaled by the update's gradient norm ${r.gradNorm})`, ks.maxAbs, stats.maxAbs, statTol),
            ).toBe(true);
          }
        });
        for (const which of ['initial', 'final'] as const) {
          const [k, r] = [fast[c][which], ref[c][which]];
          expect(isClose(k.loss, r.loss, LOSS_TOL), describeMismatch(`${at} ${which} eval loss`, k.loss, r.loss, LOSS_TOL)).toBe(true);
          expect(isClose(k.collapse, r.collapse, LOSS_TOL), describeMismatch(`${at} ${which} collapse`, k.collapse, r.collapse, LOSS_TOL)).toBe(true);
        }
        expect(fast[c].probes.length, `${at}: probe steps`).toBe(ref[c].probes.length);
        ref[c].probes.forEach((p, i) => {
          const q = fast[c].probes[i];
          for (const series of ['gradState', 'wHhTerms'] as const) {
            p[series].log10.forEach((v, t) => {
              const k = q[series].log10[t];
              if (v === null || k === null) expect(k, `${at} probe ${i} ${series}[${t}]: underflow flags differ (tfjs ${v}, kernel ${k})`).toBe(v);
              else expect(isCloseLog10(k, v, PROBE_DECADES), `${at} probe ${i} ${series}[${t}]: ${k} vs ${v} (±${PROBE_DECADES} decades)`).toBe(true);
            });
          }
        });
      }
      for (const [name, r] of wRef) {
        const k = wFast.get(name)!;
        for (let i = 0; i < r.length; i++) {
          if (!isClose(k[i], r[i], WEIGHT_TOL)) expect.fail(describeMismatch(`${spec.name} final ${name}[${i}]`, k[i], r[i], WEIGHT_TOL));
        }
      }
    });
  }

  it('should train every architecture the config types allow on the default engine, the kernel, without a tfjs arithmetic kernel', async () => {
    // No tfjs kernel: training on the kernel measures the same on every backend, so npm test does not
    // re-run the training claims on tfjs-node (specs/report/reruns.test.ts); the count cannot see the
    // pool's worker threads, which run this same code.
    const task = recallTask(3);
    for (const spec of EXPERIMENT_MODELS) {
      const before = kernelsRun();
      const [run] = await trainModels([taskConfig(spec, task, 4, 1)], task, { ...BUDGET, steps: 12, hiddenSize: 4 }, { evalBatchSize: 8, logEvery: 3 });
      expect(run.backend, `${spec.name} on the default engine`).toBe('wasm-kernel');
      expect(kernelsRun() - before, `${spec.name}: tfjs arithmetic kernels run by 12 updates, 2 evaluations and 4 probes on the kernel engine`).toBe(0);
    }
  });
});
