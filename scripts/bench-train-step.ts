/**
 * Training-step benchmark. Usage: npx tsx scripts/bench-train-step.ts [--backend=wasm|cpu]
 *
 * Times one Adam update (src/experiments/step.ts, uninstrumented) of three models trained
 * together, as the training plans batch them: the demo RNN and the LSTM with forget bias 1 on
 * recall at lag 50, batch 32, 32 hidden units (median of 15 updates after 3 warm-ups), and the
 * recurrent product of one step both ways: batched [C, B, H]·[C, H, H] against the 2-D
 * [B, C·H]·blockdiag [C·H, C·H], with the same weights for the T steps of an update (median
 * over 4 updates' steps).
 * It uses only functions that predate the block-diagonal loop, so it also runs on older commits.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../src/backend/resolve.js';
import { modelSpec, taskConfig } from '../src/experiments/models.js';
import { Adam } from '../src/experiments/optimizer.js';
import { trainStep } from '../src/experiments/step.js';
import { makeTask, trainStream } from '../src/experiments/tasks.js';
import { buildTrainable } from '../src/experiments/trainable.js';

const backendArg = process.argv.slice(2).find((a) => a.startsWith('--backend='))?.split('=')[1];
if (process.argv.slice(2).some((a) => !a.startsWith('--backend=')) || (backendArg && !['wasm', 'cpu'].includes(backendArg))) {
  process.stderr.write('bench-train-step: the only argument is --backend=wasm|cpu\n');
  process.exit(2);
}
const info = await resolveBackend(backendArg ?? 'wasm');
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const C = 3, B = 32, H = 32, LAG = 50;

function timeUpdates(name: string): number {
  const task = makeTask('recall', LAG);
  const configs = [1, 2, 3].map((seed) => taskConfig(modelSpec(name), task, H, seed));
  const model = buildTrainable(configs, task.outputSize);
  const adam = new Adam(model.params.map((p) => p.variable), 3e-3);
  const streams = configs.map((c) => trainStream(task, c.seed));
  const times: number[] = [];
  try {
    for (let i = 0; i < 18; i++) {
      const batches = streams.map((r) => task.sample(r, B));
      const x = tf.tensor4d(Float32Array.from(batches.flatMap((b) => [...b.inputs])), [C, B, task.seqLength, task.inputSize]);
      const y = tf.tensor3d(Float32Array.from(batches.flatMap((b) => [...b.targets])), [C, B, task.outputSize]);
      const t0 = performance.now();
      const out = trainStep(model, adam, x, y, false);
      out.stats.dataSync();
      if (i >= 3) times.push(performance.now() - t0);
      out.stats.dispose();
      x.dispose();
      y.dispose();
    }
  } finally {
    adam.dispose();
    model.dispose();
  }
  return median(times);
}

/** Per product, as in the loop: a fresh left operand every step, the same weights for T steps. */
function timeProduct(shapeA: number[], shapeB: number[], T: number): number {
  const times: number[] = [];
  for (let update = 0; update < 5; update++) {
    const b = tf.randomNormal(shapeB);
    for (let t = 0; t < T; t++) {
      const a = tf.randomNormal(shapeA);
      const t0 = performance.now();
      const out = tf.matMul(a, b);
      out.dataSync();
      if (update > 0) times.push((performance.now() - t0) * 1000);
      tf.dispose([a, out]);
    }
    b.dispose();
  }
  return median(times);
}

const lines = [`backend ${info.name}; one Adam update of ${C} models, recall lag ${LAG}, batch ${B}, ${H} hidden units`];
for (const name of ['rnn-demo', 'lstm-fb1']) lines.push(`  ${name}: ${timeUpdates(name).toFixed(1)} ms per update`);
const T = makeTask('recall', LAG).seqLength;
const batched = timeProduct([C, B, H], [C, H, H], T);
const blockDiagonal = timeProduct([B, C * H], [C * H, C * H], T);
lines.push(`recurrent product of one step: batched [${C}, ${B}, ${H}]·[${C}, ${H}, ${H}] ${batched.toFixed(0)} µs; 2-D [${B}, ${C * H}]·[${C * H}, ${C * H}] ${blockDiagonal.toFixed(0)} µs`);
process.stdout.write(`${lines.join('\n')}\n`);
