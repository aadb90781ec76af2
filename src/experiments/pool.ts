import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../config/errors.js';
import type { ModelConfig } from '../config/types.js';
import { gateCount } from '../kernels/recurrent.js';
import { makeTask, type TaskKind } from './tasks.js';
import { type TrainBudget, type TrainOptions, type TrainRun, trainModels } from './train.js';
import type { GroupReply, GroupRequest } from './train-worker.js';

/**
 * Independent training groups (one trainModels call each: C models of one shape on one task
 * and lag) spread over worker threads. Every group is trained exactly as it would be in this
 * thread, so results do not depend on the number of workers (specs/experiments/pool.test.ts).
 */

export interface TrainGroup {
  readonly configs: readonly ModelConfig[];
  readonly task: { readonly kind: TaskKind; readonly lag: number };
  readonly budget: TrainBudget;
  readonly options?: Omit<TrainOptions, 'onStep' | 'onWeights'>;
}

/** One worker per core: the default of every run that does not set `jobs` (`vg verify --jobs N`). */
export function defaultJobs(): number {
  return availableParallelism();
}

/** Relative cost of a group, for scheduling the longest first: models × steps × sequence length × (gates·H)². */
export function groupCost(g: TrainGroup): number {
  const c = g.configs[0];
  const GH = gateCount(c.architecture) * c.hiddenSize;
  return g.configs.length * g.budget.steps * c.seqLength * (GH * c.hiddenSize + 4 * GH) * g.budget.batchSize;
}

/** The resolver's name of this thread's tfjs backend, for the workers to load the same one ('tensorflow' is tfjs-node's). */
function workerBackend(tfjsName: string | undefined): string {
  if (tfjsName === 'tensorflow') return process.env.VG_BACKEND === 'node-gpu' ? 'node-gpu' : 'node';
  return tfjsName === 'wasm' || tfjsName === 'cpu' ? tfjsName : 'cpu';
}

function workerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./train-worker-dev.mjs', import.meta.url) : new URL('./train-worker.js', import.meta.url);
}

/**
 * Trains every group and returns their runs in the groups' order. With jobs ≤ 1, or a single
 * group, everything runs in this thread; otherwise min(jobs, groups) workers take the groups
 * longest first.
 */
export async function trainGroups(groups: readonly TrainGroup[], jobs: number = defaultJobs()): Promise<TrainRun[][]> {
  if (!Number.isInteger(jobs) || jobs < 1) throw new ConfigError('jobs', String(jobs), 'an integer ≥ 1');
  if (jobs === 1 || groups.length <= 1) {
    const out: TrainRun[][] = [];
    for (const g of groups) out.push(await trainModels(g.configs, makeTask(g.task.kind, g.task.lag), g.budget, g.options));
    return out;
  }
  const order = groups
    .map((g, i) => ({ i, cost: groupCost(g) }))
    .sort((a, b) => b.cost - a.cost || a.i - b.i)
    .map((x) => x.i);
  const results: TrainRun[][] = new Array(groups.length);
  const backend = workerBackend(tf.getBackend() as string | undefined);
  const workers = Array.from({ length: Math.min(jobs, groups.length) }, () => new Worker(workerUrl()));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= order.length) {
                resolve();
                return;
              }
              const id = order[next++];
              const g = groups[id];
              worker.postMessage({ id, backend, configs: g.configs, task: g.task, budget: g.budget, options: g.options ?? {} } satisfies GroupRequest);
            };
            worker.on('message', (reply: GroupReply) => {
              if ('error' in reply) return reject(new Error(`training worker: group ${reply.id} failed: ${reply.error}`));
              results[reply.id] = reply.runs;
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`training worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
