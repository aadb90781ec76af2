import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { formatBench } from '../../src/bench/format.js';
import { type BenchOptions, FULL_BENCH_OPTIONS, runBench } from '../../src/bench/profile-bench.js';
import { linearFit, median } from '../../src/bench/stats.js';

// The benchmark's logic at tiny sizes: agreement must pass and the result must be complete. Timings are not asserted.
const TINY: BenchOptions = {
  ...FULL_BENCH_OPTIONS,
  backends: ['wasm', 'cpu'],
  architectures: ['rnn', 'lstm', 'gru'],
  hiddenSize: 8,
  inputSize: 5,
  seqLength: 10,
  batch: 4,
  warmup: 0,
  repeats: 1,
  scalingLengths: [5, 10],
};

beforeAll(async () => {
  await resolveBackend();
});

describe('gradient-profile benchmark', () => {
  it('should pass its agreement checks and report every method, backend and architecture at tiny sizes', async () => {
    const backendBefore = tf.getBackend();
    const result = await runBench(TINY);
    expect(tf.getBackend(), 'backend restored').toBe(backendBefore);
    expect(result.leakedTensors).toBe(0);

    expect(result.agreement).toHaveLength(2 * 3 * 6);
    for (const check of result.agreement) {
      expect(check.passed, `${check.backend} ${check.architecture} ${check.name}: max |Δ| ${check.maxDiffDecades}`).toBe(true);
      expect(check.maxDiffDecades).toBeLessThanOrEqual(TINY.toleranceDecades);
    }
    expect(result.agreed).toBe(true);

    expect(result.timings.map((t) => `${t.backend}/${t.architecture}`)).toEqual(['wasm/rnn', 'wasm/lstm', 'wasm/gru', 'cpu/rnn', 'cpu/lstm', 'cpu/gru']);
    for (const t of result.timings) {
      for (const [timing, configs] of [[t.perTimestep, 1], [t.onePass, 1], [t.batched, TINY.batch]] as const) {
        expect(timing.samplesMs).toHaveLength(TINY.repeats);
        expect(timing.cpuSamplesMs).toHaveLength(TINY.repeats);
        expect(timing.configs).toBe(configs);
        expect(timing.medianMsPerConfig).toBeGreaterThan(0);
      }
      expect(t.ratioPerTimestepToBatched).toBeGreaterThan(0);
      expect(t.ratioOnePassToBatched).toBeGreaterThan(0);
      expect(t.cpuRatioPerTimestepToBatched).toBeGreaterThan(0);
    }

    expect(result.scaling.map((s) => s.backend)).toEqual(['wasm', 'cpu']);
    for (const s of result.scaling) {
      expect(s.points.map((p) => p.seqLength)).toEqual([5, 10]);
      expect(s.onePass.lengthRatio).toBe(2);
      expect(typeof s.batched.linear).toBe('boolean');
    }
    expect(result.targets.length).toBe(2 + 2 * 2);
    expect(result.headline).toMatchObject({ backend: 'wasm', batch: TINY.batch });

    const lines = formatBench(result);
    expect(lines.at(-1)).toMatch(/^\(a\)\/\(c\) on wasm/);
  });

  it('should fail the agreement when the tolerance cannot be met, and then time nothing', async () => {
    const result = await runBench({ ...TINY, backends: ['cpu'], architectures: ['rnn'], toleranceDecades: 1e-300, scalingLengths: [] });
    expect(result.agreed).toBe(false);
    expect(result.timings).toHaveLength(0);
    expect(result.headline).toBeNull();
    expect(formatBench(result).join('\n')).toMatch(/AGREEMENT FAILED/);
  });

  it('should compute medians and least-squares lines', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const fit = linearFit([50, 100, 200, 400], [1 + 0.5 * 50, 1 + 0.5 * 100, 1 + 0.5 * 200, 1 + 0.5 * 400]);
    expect(fit.slope).toBeCloseTo(0.5, 12);
    expect(fit.intercept).toBeCloseTo(1, 10);
    expect(fit.r2).toBeCloseTo(1, 12);
  });
});
