import { parentPort } from 'node:worker_threads';
import { resolveBackend } from '../backend/resolve.js';
import type { ModelConfig } from '../config/types.js';
import { type TaskKind, makeTask } from './tasks.js';
import { type TrainBudget, type TrainOptions, type TrainRun, trainModels } from './train.js';

/**
 * A training worker (worker_threads) of pool.ts: trains the groups it is sent, one at a time,
 * and posts the runs back. Everything crossing the boundary is plain data (structured clone).
 */
export interface GroupRequest {
  readonly id: number;
  readonly backend: string;
  readonly configs: readonly ModelConfig[];
  readonly task: { readonly kind: TaskKind; readonly lag: number };
  readonly budget: TrainBudget;
  readonly options: Omit<TrainOptions, 'onStep' | 'onWeights'>;
}

export type GroupReply = { readonly id: number; readonly runs: TrainRun[] } | { readonly id: number; readonly error: string };

parentPort?.on('message', (request: GroupRequest) => {
  void (async () => {
    try {
      await resolveBackend(request.backend);
      const runs = await trainModels(request.configs, makeTask(request.task.kind, request.task.lag), request.budget, request.options);
      parentPort!.postMessage({ id: request.id, runs } satisfies GroupReply);
    } catch (error) {
      parentPort!.postMessage({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies GroupReply);
    }
  })();
});
