import * as tf from '@tensorflow/tfjs';
import { log10NormOf } from '../numerics/log-norm.js';
import type { ParamGradStats } from '../probes/param-grads.js';
import { readActivationStats } from './activations.js';
import { seriesFromScaled } from './metrics.js';
import { STAT_COLUMNS_BEFORE_PARAMS } from './step.js';
import type { Task, TaskBatch } from './tasks.js';
import type { EvalRecord, ProbeRecord, StepRecord } from './records.js';
import type { TrainableModel } from './trainable.js';

/** One read of everything pending since the last probe step: per-step stats and, at a probe step, the probe (null: stats only). */
export async function readProbes(
  model: TrainableModel,
  pending: readonly tf.Tensor[],
  probe: tf.Tensor | null,
): Promise<{ steps: StepRecord[][]; probes: Omit<ProbeRecord, 'step'>[] }> {
  const C = model.count;
  const T = model.config.seqLength;
  const P = model.params.length;
  const width = STAT_COLUMNS_BEFORE_PARAMS + 3 * P;
  const flat = tf.tidy(() => tf.concat([...pending.map((t) => tf.reshape(t, [-1])), ...(probe ? [probe] : [])]));
  const data = (await flat.data()) as Float32Array;
  flat.dispose();
  for (const t of pending) t.dispose();
  probe?.dispose();
  const steps: StepRecord[][] = pending.map((_, k) =>
    Array.from({ length: C }, (__, c) => {
      const row = data.subarray((k * C + c) * width, (k * C + c + 1) * width);
      const params: StepRecord['params'] = {};
      model.params.forEach((p, i) => {
        const [norm, meanAbs, maxAbs] = row.subarray(STAT_COLUMNS_BEFORE_PARAMS + 3 * i, STAT_COLUMNS_BEFORE_PARAMS + 3 * i + 3);
        params[p.name] = gradStats(norm, meanAbs, maxAbs);
      });
      return { loss: row[0], gradNorm: row[1], params };
    }),
  );
  // Probe blocks are [T, C]: max and scaled Σ² of ∂L/∂s_t, then of step t's W_hh term.
  const base = pending.length * C * width;
  const block = (k: number, c: number): number[] => Array.from({ length: T }, (_, t) => data[base + k * T * C + t * C + c]);
  if (!probe) return { steps, probes: [] };
  const last = steps[steps.length - 1];
  const probes = Array.from({ length: C }, (_, c) => {
    const hh = last[c].params.weight_hh!.norm;
    const ih = last[c].params.weight_ih!.norm;
    return {
      gradState: seriesFromScaled(block(0, c), block(1, c)),
      wHhTerms: seriesFromScaled(block(2, c), block(3, c)),
      hhOverIh: ih > 0 ? hh / ih : NaN,
    };
  });
  return { steps, probes };
}

/** The detector's record of one tensor from its in-graph (underflow-safe) norm, mean and max. */
function gradStats(norm: number, meanAbs: number, maxAbs: number): ParamGradStats {
  const { log10 } = log10NormOf([norm]);
  return { norm, log10Norm: log10, meanAbs, maxAbs };
}

/** Reads what evalTensors returned; `withActivations`: it computed the activation statistics (a tanh cell). */
export async function readEval(out: tf.Tensor, task: Task, batches: readonly TaskBatch[], withActivations: boolean): Promise<EvalRecord[]> {
  const data = (await out.data()) as Float32Array;
  out.dispose();
  const C = batches.length;
  const E = batches[0].batch;
  const O = task.outputSize;
  const statsAt = 2 * C + C * E * O;
  return batches.map((b, c) => ({
    loss: data[c],
    collapse: data[C + c],
    accuracy: task.accuracy(data.subarray(2 * C + c * E * O, 2 * C + (c + 1) * E * O), b.targets),
    activations: withActivations ? readActivationStats(data, statsAt, C, c) : null,
  }));
}
