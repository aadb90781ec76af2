/**
 * Training-update benchmark (the performance issue's targets 1, 3 and 4), used by tools/bench/main.ts:
 *  - one Adam update (forward, backpropagation through time, global-norm clip 1, Adam) per model,
 *    hidden 32, batch 32, input 2, linear readout, T = 15, 55, 105, for rnn, lstm and gru: the
 *    fused kernel (the training loop's engine) and the tfjs engine (its reference) on each
 *    benched backend (wasm, cpu, node), on the same batches;
 *  - PyTorch 2.13 on the CPU, single thread, on the same settings, when VG_TORCH_PYTHON names a
 *    Python with torch (tools/bench/peers/torch_speed.py; the project never depends on Python);
 *  - the full training plan with 1 worker and with one per core.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { trainPlan } from '../../src/claims/training/evidence.js';
import { trainingPlan } from '../../src/claims/training/plan.js';
import { type ModelConfig, PYTORCH_GATED_DEFAULTS, makeConfig } from '../../src/config/types.js';
import { KernelTrainer } from '../../src/experiments/kernel-train.js';
import { Adam } from '../../src/experiments/optimizer.js';
import { trainStep } from '../../src/experiments/step.js';
import type { TaskBatch } from '../../src/experiments/tasks.js';
import { buildTrainable } from '../../src/experiments/trainable.js';
import { Rng } from '../../src/models/rng.js';
import { activeBackend, type BenchBackend, restoreBackend, switchBackend } from './backend.js';

export const TRAIN_CELLS = ['rnn', 'lstm', 'gru'] as const;
export type TrainCell = (typeof TRAIN_CELLS)[number];
export const TRAIN_LENGTHS = [15, 55, 105] as const;
/** Target 1: at most this multiple of PyTorch's time per update. */
export const TARGET_TORCH_MULTIPLE = 1.5;
/** Target 3: t(T = 105)/t(T = 15) for an update. */
export const TARGET_TRAIN_GROWTH = 8;
/** Target 4: speed-up of the full plan with 2 workers on 2 cores. */
export const TARGET_JOBS_SPEEDUP = 1.7;

const H = 32,
  B = 32,
  D = 2;

export interface TrainTiming {
  readonly cell: TrainCell;
  readonly T: number;
  /** The fused kernel, per model (median of the repeats, each the mean of `updates` updates). */
  readonly msPerModelUpdate: number;
  /** The tfjs engine on each benched backend, per model, three models trained together as the plans did before the kernel. */
  readonly tfjs: Readonly<Partial<Record<BenchBackend, number>>>;
  readonly torchMs: number | null;
}

/** PyTorch's nn.RNN/LSTM/GRU defaults: U(±1/√H) weights and biases, sigmoid gates. */
function torchLikeConfig(cell: TrainCell, T: number, seed: number): ModelConfig {
  const sizes = { inputSize: D, hiddenSize: H, seqLength: T, seed };
  return cell === 'rnn'
    ? makeConfig({ ...sizes, recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' }, biasInit: { kind: 'pytorchDefault' } })
    : makeConfig({ ...sizes, architecture: cell, ...PYTORCH_GATED_DEFAULTS, forgetBias: 'init' });
}

/** x ~ N(0, 1) [B, T, D] and y ~ N(0, 1) [B, 1], as the peer script draws them. */
function randomBatch(rng: Rng, T: number): TaskBatch {
  const inputs = Float32Array.from({ length: B * T * D }, () => rng.normal());
  const targets = Float32Array.from({ length: B }, () => rng.normal());
  return { batch: B, inputs, targets };
}

const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function timeKernel(cell: TrainCell, T: number, repeats: number, updates: number): number {
  const model = buildTrainable([torchLikeConfig(cell, T, 1)], 1);
  const trainer = new KernelTrainer(model, 3e-3);
  model.dispose();
  const rng = new Rng(7, `bench/${cell}/${T}`);
  const batches = Array.from({ length: updates }, () => [randomBatch(rng, T)]);
  for (const b of batches.slice(0, 3)) trainer.update(b, false);
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (const b of batches) trainer.update(b, false);
    samples.push((performance.now() - t0) / updates);
  }
  return median(samples);
}

function timeTfjs(cell: TrainCell, T: number, repeats: number): number {
  const C = 3;
  const model = buildTrainable(
    [1, 2, 3].map((seed) => torchLikeConfig(cell, T, seed)),
    1,
  );
  const adam = new Adam(
    model.params.map((p) => p.variable),
    3e-3,
  );
  const rng = new Rng(7, `bench/${cell}/${T}/tfjs`);
  const samples: number[] = [];
  try {
    for (let i = 0; i < repeats + 2; i++) {
      const batches = [0, 1, 2].map(() => randomBatch(rng, T));
      const x = tf.tensor4d(Float32Array.from(batches.flatMap((b) => [...b.inputs])), [C, B, T, D]);
      const y = tf.tensor3d(Float32Array.from(batches.flatMap((b) => [...b.targets])), [C, B, 1]);
      const t0 = performance.now();
      const out = trainStep(model, adam, x, y, false);
      out.stats.dataSync();
      if (i >= 2) samples.push((performance.now() - t0) / C);
      tf.dispose([out.stats, x, y]);
    }
  } finally {
    adam.dispose();
    model.dispose();
  }
  return median(samples);
}

export interface TorchResult {
  readonly train: ReadonlyMap<string, number>;
  readonly profileOnePassMs: number | null;
  readonly profileDocumentMethodMs: number | null;
  readonly version: string;
}

/** Runs the peer script with VG_TORCH_PYTHON, single thread; null when unset. Throws when set but failing. */
export function runTorch(python: string | undefined = process.env.VG_TORCH_PYTHON, onProgress?: (m: string) => void): TorchResult | null {
  if (!python) return null;
  onProgress?.(`PyTorch peer: ${python}`);
  const script = fileURLToPath(new URL('./peers/torch_speed.py', import.meta.url));
  const run = spawnSync(python, [script, '--threads', '1'], { encoding: 'utf8', timeout: 900_000 });
  if (run.status !== 0) throw new Error(`bench: VG_TORCH_PYTHON=${python} failed (exit ${run.status}): ${run.stderr || run.error?.message}`);
  const version = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const train = new Map<string, number>();
  let onePass: number | null = null,
    documentMethod: number | null = null;
  for (const line of run.stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line) as { what: string; cell?: string; T?: number; method?: string; ms: number };
    if (r.what === 'train_update') train.set(`${r.cell}/${r.T}`, r.ms);
    else if (r.method === 'one backward pass') onePass = r.ms;
    else documentMethod = r.ms;
  }
  return { train, profileOnePassMs: onePass, profileDocumentMethodMs: documentMethod, version };
}

/** The kernel once (it does not use the tfjs backend), the tfjs engine on each of `backends`; restores the backend that was active before. */
export async function timeTraining(
  torch: TorchResult | null,
  quick: boolean,
  backends: readonly BenchBackend[],
  onProgress?: (m: string) => void,
): Promise<TrainTiming[]> {
  const original = activeBackend();
  const out: TrainTiming[] = [];
  try {
    for (const cell of TRAIN_CELLS) {
      for (const T of TRAIN_LENGTHS) {
        onProgress?.(`training update: ${cell}, T=${T}`);
        const tfjs: Partial<Record<BenchBackend, number>> = {};
        for (const backend of backends) {
          await switchBackend(backend);
          tfjs[backend] = timeTfjs(cell, T, quick ? 3 : 7);
        }
        out.push({ cell, T, msPerModelUpdate: timeKernel(cell, T, quick ? 3 : 7, 20), tfjs, torchMs: torch?.train.get(`${cell}/${T}`) ?? null });
      }
    }
    return out;
  } finally {
    await restoreBackend(original);
  }
}

export interface JobsTiming {
  readonly workers: number;
  readonly plan: string;
  readonly oneWorkerS: number;
  readonly workersS: number;
  readonly speedup: number;
  readonly cap: number;
}

/** Wall time of a training plan trained from scratch with 1 worker, then with one per core; `cap` replaces the plan's cap (the same runs and groups, each stopped sooner). */
export async function timeJobs(profile: 'full' | 'reduced', onProgress?: (m: string) => void, cap?: number): Promise<JobsTiming> {
  const workers = availableParallelism();
  const time = async (jobs: number): Promise<number> => {
    onProgress?.(`training plan ${profile} with ${jobs} worker(s)`);
    const t0 = performance.now();
    // A fresh plan object each time: trainPlan caches the runs per plan profile and key, so reuse would time nothing.
    const plan = trainingPlan(profile, '');
    await trainPlan(
      { ...plan, budget: { ...plan.budget, steps: cap ?? plan.budget.steps }, profile: `${profile}-bench-${jobs}` as 'full' },
      undefined,
      undefined,
      jobs,
    );
    return (performance.now() - t0) / 1000;
  };
  const oneWorkerS = await time(1);
  const workersS = await time(workers);
  return { workers, plan: profile, oneWorkerS, workersS, speedup: oneWorkerS / workersS, cap: cap ?? trainingPlan(profile, '').budget.steps };
}
