import * as tf from '@tensorflow/tfjs';
import { gradientProfile } from '../../src/api/layers-profile.js';
import { activeBackend, type BenchBackend, restoreBackend, switchBackend } from './backend.js';
import { type LinearityCheck, type Timing, linearity, perCall, repeated, timeInterleaved, timingOf } from './profile-bench.js';

/**
 * The own-model path: gradientProfile (src/api/layers-profile.ts) on a tfjs LayersModel, an LSTM
 * as a user would build one, at each sequence length on each backend. Every timed sample covers
 * the same number of steps (T_max/T calls in a row), as the profile's growth check does. Growth
 * is judged on the process's CPU time on every backend: tfjs-layers' gradient allocates so many
 * JavaScript objects that V8's helper threads (concurrent garbage collection) do about half of
 * the work at T = 50, a share that changes with T, and TensorFlow computes on its own threads.
 *
 * The LSTM's biases are 3 (gates near open), so its gradient stays within float32's normal range
 * over 400 steps (smallest log10 ‖∂L/∂x_t‖ about −21): with tfjs's default initialisation it
 * underflows from about step 170 on, and x86 processors compute on subnormal operands many times
 * slower (cpu and wasm keep subnormals, TensorFlow flushes them), which times the processor, not
 * the path: measured on wasm here, process CPU per call 78 ms at T = 50, 121 at 100, 316 at 200.
 */
export interface LayersBenchOptions {
  readonly backends: readonly BenchBackend[];
  readonly units: number;
  readonly features: number;
  readonly batch: number;
  readonly lengths: readonly number[];
  readonly warmup: number;
  readonly repeats: number;
  readonly onProgress?: (message: string) => void;
}

/** An LSTM of 32 units, 8 features, batch 4, at T = 50 and T = 400. */
export const LAYERS_BENCH_OPTIONS: Omit<LayersBenchOptions, 'onProgress'> = {
  backends: ['wasm', 'cpu', 'node'],
  units: 32,
  features: 8,
  batch: 4,
  lengths: [50, 400],
  warmup: 1,
  repeats: 5,
};

export interface LayersTiming {
  readonly backend: BenchBackend;
  readonly points: ReadonlyArray<{ readonly seqLength: number; readonly callsPerSample: number; readonly timing: Timing }>;
  readonly growth: LinearityCheck;
}

function lstm(T: number, o: Pick<LayersBenchOptions, 'units' | 'features'>): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.lstm({
        units: o.units,
        inputShape: [T, o.features],
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }),
        unitForgetBias: false,
        biasInitializer: tf.initializers.constant({ value: 3 }),
      }),
    ],
  });
}

/** Times gradientProfile per backend and length; restores the backend that was active before. */
export async function timeLayersProfile(options: LayersBenchOptions): Promise<LayersTiming[]> {
  const original = activeBackend();
  const longest = Math.max(...options.lengths);
  const out: LayersTiming[] = [];
  try {
    for (const backend of options.backends) {
      await switchBackend(backend);
      const points: LayersTiming['points'][number][] = [];
      for (const T of options.lengths) {
        options.onProgress?.(`${backend}: gradientProfile of an LSTM LayersModel, T=${T}`);
        const model = lstm(T, options);
        const x = tf.randomNormal([options.batch, T, options.features], 0, 1, 'float32', 3);
        const calls = Math.max(1, Math.round(longest / T));
        try {
          const [samples] = await timeInterleaved([repeated(() => gradientProfile(model, x), calls)], options.warmup, options.repeats);
          points.push({ seqLength: T, callsPerSample: calls, timing: timingOf(perCall(samples, calls), 1) });
        } finally {
          x.dispose();
          model.dispose();
        }
      }
      out.push({
        backend,
        points,
        growth: linearity(
          points.map((p) => p.seqLength),
          points.map((p) => p.timing),
          'process CPU',
        ),
      });
    }
    return out;
  } finally {
    await restoreBackend(original);
  }
}
