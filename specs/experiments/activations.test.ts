import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { ActivationSums, SATURATED_ABS, tanhOutputOf } from '../../src/experiments/activations.js';
import { KernelTrainer } from '../../src/experiments/kernel-train.js';
import { type ModelSpec, modelSpec, taskConfig } from '../../src/experiments/models.js';
import type { ActivationStats, CurvePoint } from '../../src/experiments/records.js';
import { type Task, addingTask, evalBatch, recallTask, redrawStream, trainStream } from '../../src/experiments/tasks.js';
import { type TrainBudget, type TrainRun, trainModels } from '../../src/experiments/train.js';
import { buildTrainable } from '../../src/experiments/trainable.js';
import { describeMismatch, isClose } from '../../src/numerics/close.js';

/**
 * The hidden-activation statistics recorded at every held-out evaluation (activations.ts): the
 * same on the fused kernel and on the tfjs engine, for every tanh cell, and null for the cells
 * with no tanh output of their own.
 */

/**
 * The engines compute tanh differently (the kernel's Cephes polynomial, about 1 ulp) and their
 * weights part by up to rtol 1e-4 after these updates (kernel.test.ts); a mean of values in
 * [0, 1] then moves by far less than 1e-4, which is what is allowed. A value closer to 0.9 than
 * that may fall on either side of it: the share is allowed the same.
 */
const STATS_TOL = { atol: 1e-4, rtol: 0 };
const BUDGET: TrainBudget = { steps: 40, batchSize: 8, learningRate: 1e-2, hiddenSize: 16 };
/** An evaluation every 10 updates, never stopping: five curve points per run. */
const RULE = { every: 10, confirmations: 0, stop: false };
/** More than the kernel's 128 sequences per recorded pass, and not a multiple of it: two passes, the second short. */
const EVAL_SIZE = 200;

const TANH_CELLS: readonly { spec: ModelSpec; hidden: number; task: Task }[] = [
  { spec: modelSpec('rnn-demo'), hidden: 16, task: recallTask(6) },
  { spec: modelSpec('rnn-orthogonal'), hidden: 10, task: addingTask(6) },
  { spec: modelSpec('residual'), hidden: 13, task: recallTask(6) },
  { spec: modelSpec('layernorm'), hidden: 16, task: addingTask(6) },
];

beforeAll(async () => {
  await resolveBackend();
});

const fields = (s: ActivationStats): [keyof ActivationStats, number][] => Object.entries(s) as [keyof ActivationStats, number][];

function expectSameStats(at: string, kernel: ActivationStats | null, tfjs: ActivationStats | null): void {
  expect(kernel !== null && tfjs !== null, `${at}: activation statistics recorded (kernel ${JSON.stringify(kernel)}, tfjs ${JSON.stringify(tfjs)})`).toBe(true);
  for (const [name, r] of fields(tfjs!)) {
    const k = kernel![name];
    expect(isClose(k, r, STATS_TOL), describeMismatch(`${at} ${name}`, k, r, STATS_TOL)).toBe(true);
  }
}

async function trainBoth(spec: ModelSpec, hidden: number, task: Task): Promise<[TrainRun[], TrainRun[]]> {
  const configs = [1, 2].map((seed) => taskConfig(spec, task, hidden, seed));
  const budget = { ...BUDGET, hiddenSize: hidden };
  const options = { solve: RULE, evalBatchSize: EVAL_SIZE, logEvery: 20 };
  const kernel = await trainModels(configs, task, budget, { ...options, engine: 'kernel' });
  const tfjs = await trainModels(configs, task, budget, { ...options, engine: 'tfjs' });
  return [kernel, tfjs];
}

describe(`hidden-activation statistics of the training runs (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  for (const { spec, hidden, task } of TANH_CELLS) {
    it(
      `should record the same activation statistics on both engines for ${spec.name} (H ${hidden}, ` + `${task.kind} lag ${task.lag}) at every evaluation`,
      async () => {
        const before = tf.memory().numTensors;
        const [kernel, tfjs] = await trainBoth(spec, hidden, task);
        expect(tf.memory().numTensors, `tensors left behind by the two trainings: ${tf.memory().numTensors} against ${before}`).toBe(before);
        kernel.forEach((k, c) => {
          const r = tfjs[c];
          const at = `${spec.name} seed ${k.config.seed}`;
          const steps = (curve: readonly CurvePoint[]): number[] => curve.map((p) => p.step);
          expect(steps(k.curve), `${at}: kernel curve steps ${steps(k.curve).join(', ')} against tfjs ${steps(r.curve).join(', ')}`).toEqual(steps(r.curve));
          k.curve.forEach((p, i) => expectSameStats(`${at} evaluation at update ${p.step}`, p.activations, r.curve[i].activations));
          expectSameStats(`${at} initial evaluation`, k.initial.activations, r.initial.activations);
          expectSameStats(`${at} final evaluation`, k.final.activations, r.final.activations);
          const [first, last] = [k.curve[0], k.curve[k.curve.length - 1]];
          expect(
            first.activations,
            `${at}: the step-0 point's statistics ${JSON.stringify(first.activations)} are the initial evaluation's ${JSON.stringify(k.initial.activations)}`,
          ).toEqual(k.initial.activations);
          expect(
            last.activations,
            `${at}: the last point's statistics ${JSON.stringify(last.activations)} are the final evaluation's ${JSON.stringify(k.final.activations)}`,
          ).toEqual(k.final.activations);
        });
      },
    );
  }

  it('should record no activation statistics for the gated cells and a non-tanh cell, on either engine', async () => {
    const task = recallTask(4);
    const specs: ModelSpec[] = [modelSpec('lstm-fb1'), modelSpec('gru'), { name: 'rnn-relu', overrides: { architecture: 'rnn', activation: 'relu' } }];
    for (const spec of specs) {
      const config = taskConfig(spec, task, 6, 1);
      expect(tanhOutputOf(config), `${spec.name}: tanh output ${tanhOutputOf(config)}, null expected`).toBeNull();
      for (const engine of ['kernel', 'tfjs'] as const) {
        const [run] = await trainModels([config], task, { ...BUDGET, steps: 10, hiddenSize: 6 }, { engine, solve: RULE, evalBatchSize: 16 });
        const recorded = [run.initial, run.final, ...run.curve].filter((e) => e.activations !== null).length;
        expect(recorded, `${spec.name} on the ${engine} engine: ${recorded} evaluations with activation statistics, none expected`).toBe(0);
      }
    }
  });

  it("should give the kernel's recorded held-out pass, in blocks of sequences, the loss of one pass over the whole set, bit for bit", () => {
    const task = recallTask(7);
    for (const name of ['rnn-demo', 'residual', 'layernorm', 'lstm-fb1', 'gru']) {
      const model = buildTrainable(
        [1, 2].map((seed) => taskConfig(modelSpec(name), task, 12, seed)),
        task.outputSize,
      );
      const trainer = new KernelTrainer(model, 1e-2);
      model.dispose();
      const stream = trainStream(task, 3);
      for (let s = 0; s < 5; s++)
        trainer.update(
          [0, 1].map(() => task.sample(stream, 8)),
          false,
        );
      const sets = [1, 2].map((seed) => evalBatch(task, seed, 300));
      const held = trainer.heldOut(task, sets, [true, true]);
      const whole = trainer.evaluate(
        task,
        sets,
        sets.map((b, c) => task.redrawPrefix(b, redrawStream(task, c + 1))),
      );
      whole.forEach((e, c) => {
        expect(held[c]!.loss, `${name} model ${c}: held-out loss ${held[c]!.loss} in blocks against ${e.loss} in one pass`).toBe(e.loss);
        expect(held[c]!.accuracy, `${name} model ${c}: held-out accuracy ${held[c]!.accuracy} in blocks against ${e.accuracy} in one pass`).toBe(e.accuracy);
        expect(
          held[c]!.activations,
          `${name} model ${c}: held-out statistics ${JSON.stringify(held[c]!.activations)} against the evaluation's ${JSON.stringify(e.activations)}`,
        ).toEqual(e.activations);
      });
    }
  });

  it('should compute mean |a|, mean tanh′ = mean (1 − a²) and the share of |a| > 0.9 over values added in blocks', () => {
    const values = Float32Array.from([0, 0.5, -0.5, 0.9, -0.95, 1]);
    const sums = new ActivationSums();
    sums.add(values, 0, 2);
    sums.add(values, 2);
    const got = sums.stats();
    const expected: ActivationStats = {
      meanAbs: values.reduce((s, v) => s + Math.abs(v), 0) / 6,
      meanSlope: values.reduce((s, v) => s + 1 - v * v, 0) / 6,
      saturatedShare: 2 / 6, // −0.95 and 1; 0.9 itself is not above SATURATED_ABS
    };
    expect(SATURATED_ABS, `SATURATED_ABS ${SATURATED_ABS}, 0.9 expected by this test's values`).toBe(0.9);
    // float64 sums in another grouping: equal to a few ulps.
    const tol = { atol: 0, rtol: 1e-14 };
    for (const [name, e] of fields(expected)) {
      expect(isClose(got[name], e, tol), describeMismatch(`${name} of [${[...values].join(', ')}] added in two blocks`, got[name], e, tol)).toBe(true);
    }
    expect(() => new ActivationSums().stats(), 'statistics of no value: a RangeError expected').toThrow(RangeError);
  });
});
