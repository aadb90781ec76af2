import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { KernelTrainer } from '../../src/experiments/kernel-train.js';
import { modelSpec, taskConfig } from '../../src/experiments/models.js';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, GRAD_CLIP_NORM } from '../../src/experiments/optimizer.js';
import { recallTask, trainStream } from '../../src/experiments/tasks.js';
import { type TrainableName, buildTrainable } from '../../src/experiments/trainable.js';
import type { KernelArchitecture } from '../../src/kernels/recurrent.js';
import { describeMismatch, isClose } from '../../src/numerics/close.js';

/**
 * An independent check of the trainer's conventions: the same model trained by this project's
 * kernel and by tfjs-layers' own cells (tf.layers.simpleRNN, lstm, gru + a dense readout) with
 * tf.train.adam and global-norm clipping written here, from the same initial weights mapped to
 * tfjs-layers' gate order and bias layout, on the same batches. It catches what a check of the
 * backward pass against autodiff cannot: gate order, bias split, clipping scope, Adam's
 * constants. tfjs-layers has one bias per gate, so the project's trainer runs with one too
 * (TrainableOptions.singleBias), and its GRU has only the reset-before form, which the kernel
 * implements for this check ('gru-reset-before'). The reset-after GRU that the plans train is
 * covered by kernel.test.ts (kernel against the tfjs engine), bptt.test.ts (the tfjs engine
 * against tfjs autodiff of the cell) and the oracle tests (the cell against float64 PyTorch equations).
 */

const UPDATES = 60;
const LR = 1e-2;
const H = 8,
  B = 16;
/** Float32 sums in other orders over 60 updates. */
const LOSS_TOL = { atol: 1e-6, rtol: 2e-4 };
const WEIGHT_TOL = { atol: 2e-5, rtol: 2e-4 };

beforeAll(async () => {
  await resolveBackend();
});

interface Case {
  readonly model: string;
  readonly kernel: KernelArchitecture;
  readonly layer: (args: { units: number; inputShape: [number, number] }) => tf.layers.Layer;
  /** tfjs-layers' gate blocks in the project's gate order (GRU: tfjs z, r, h against r, z, n). */
  readonly gateOrder: readonly number[];
}

const CASES: readonly Case[] = [
  { model: 'rnn-orthogonal', kernel: 'rnn', layer: (a) => tf.layers.simpleRNN({ ...a, activation: 'tanh' }), gateOrder: [0] },
  { model: 'lstm-fb1', kernel: 'lstm', layer: (a) => tf.layers.lstm({ ...a, recurrentActivation: 'sigmoid', unitForgetBias: false }), gateOrder: [0, 1, 2, 3] },
  { model: 'gru', kernel: 'gru-reset-before', layer: (a) => tf.layers.gru({ ...a, recurrentActivation: 'sigmoid' }), gateOrder: [1, 0, 2] },
];

/** Columns of w [rows, G·H] in another gate order. */
function permuteGates(w: Float32Array, rows: number, order: readonly number[]): Float32Array {
  const G = order.length;
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) order.forEach((from, to) => out.set(w.subarray(r * G * H + from * H, r * G * H + (from + 1) * H), r * G * H + to * H));
  return out;
}

describe(`trainer against tfjs-layers (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  for (const c of CASES) {
    it(
      `should train ${c.model} (${c.kernel}) like tf.layers with tf.train.adam and global-norm clipping: ` +
        `same losses for ${UPDATES} updates, same final weights`,
      async () => {
        const task = recallTask(4);
        const config = taskConfig(modelSpec(c.model), task, H, 1);
        const trainable = buildTrainable([config], 1, { singleBias: true });
        const initial = new Map(trainable.params.map((p) => [p.name, p.variable.dataSync() as Float32Array]));
        const ours = new KernelTrainer(trainable, LR, c.kernel);
        trainable.dispose();
        const before = tf.memory().numTensors;

        const G = c.gateOrder.length;
        const D = task.inputSize;
        const rnn = c.layer({ units: H, inputShape: [task.seqLength, D] });
        const model = tf.sequential({ layers: [rnn, tf.layers.dense({ units: 1 })] });
        const toLayers = (name: TrainableName, rows: number): Float32Array => permuteGates(initial.get(name)!, rows, c.gateOrder);
        const start = [
          tf.tensor2d(toLayers('weight_ih', D), [D, G * H]),
          tf.tensor2d(toLayers('weight_hh', H), [H, G * H]),
          tf.tensor1d(toLayers('bias_ih', 1)),
          tf.tensor2d(initial.get('readout.weight')!, [H, 1]),
          tf.tensor1d(initial.get('readout.bias')!),
        ];
        model.setWeights(start);
        tf.dispose(start);
        const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const adam = tf.train.adam(LR, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
        const stream = trainStream(task, config.seed);
        for (let s = 0; s < UPDATES; s++) {
          const batch = task.sample(stream, B);
          const mine = ours.update([batch], false).records[0]!.loss;
          const theirs = tf.tidy(() => {
            const x = tf.tensor3d(batch.inputs, [B, task.seqLength, D]);
            const y = tf.tensor2d(batch.targets, [B, 1]);
            const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar, variables);
            const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
            const scale = tf.minimum(1, tf.div(GRAD_CLIP_NORM, tf.maximum(norm, 1e-30)));
            adam.applyGradients(Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)])));
            return value.dataSync()[0];
          });
          expect(isClose(mine, theirs, LOSS_TOL), describeMismatch(`${c.model} update ${s} loss (project vs tfjs-layers)`, mine, theirs, LOSS_TOL)).toBe(true);
        }
        const final = ours.weights();
        const layersFinal = model.getWeights().map((w) => w.dataSync() as Float32Array);
        const expected: [TrainableName, Float32Array][] = [
          ['weight_ih', permuteGates(layersFinal[0], D, c.gateOrder)],
          ['weight_hh', permuteGates(layersFinal[1], H, c.gateOrder)],
          ['bias_ih', permuteGates(layersFinal[2], 1, c.gateOrder)],
          ['readout.weight', layersFinal[3]],
          ['readout.bias', layersFinal[4]],
        ];
        // permuteGates with this order is its own inverse for every case here (identity or a swap).
        for (const [name, want] of expected) {
          const got = final.get(name)!;
          expect(got.length, `${c.model} ${name} size: project ${got.length} against tfjs-layers ${want.length}`).toBe(want.length);
          for (let i = 0; i < want.length; i++)
            if (!isClose(got[i], want[i], WEIGHT_TOL))
              expect.fail(describeMismatch(`${c.model} final ${name}[${i}] (project vs tfjs-layers)`, got[i], want[i], WEIGHT_TOL));
        }
        adam.dispose();
        model.dispose();
        const after = tf.memory().numTensors;
        expect(after, `tensors left by the tfjs-layers side: ${after} against at most ${before}`).toBeLessThanOrEqual(before);
      },
    );
  }
});
