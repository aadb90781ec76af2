import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { formatBench } from '../../src/bench/format.js';
import {
  type BenchOptions, FULL_BENCH_OPTIONS, LINEAR_MIN_R2, LINEAR_RATIO_SLACK, type ScalingPoint, TARGET_MS_PER_CONFIG, TARGET_SPEEDUP, type Timing, runBench,
} from '../../src/bench/profile-bench.js';
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

    expect(result.agreement).toHaveLength(2 * 3 * 7);
    for (const check of result.agreement) {
      expect(check.passed, `${check.backend} ${check.architecture} ${check.name}: max |Δ| ${check.maxDiffDecades}`).toBe(true);
      expect(check.maxDiffDecades).toBeLessThanOrEqual(TINY.toleranceDecades);
    }
    expect(result.agreed).toBe(true);

    expect(result.timings.map((t) => `${t.backend}/${t.architecture}`)).toEqual(['wasm/rnn', 'wasm/lstm', 'wasm/gru', 'cpu/rnn', 'cpu/lstm', 'cpu/gru']);
    for (const t of result.timings) {
      for (const [timing, configs] of [[t.perTimestep, 1], [t.onePass, 1], [t.batched, TINY.batch], [t.batchedKernel, TINY.batch]] as const) {
        expect(timing.samplesMs).toHaveLength(TINY.repeats);
        expect(timing.cpuSamplesMs).toHaveLength(TINY.repeats);
        expect(timing.configs).toBe(configs);
        expect(timing.medianMsPerConfig).toBeGreaterThan(0);
      }
      expect(t.ratioPerTimestepToBatched).toBeGreaterThan(0);
      expect(t.ratioOnePassToBatched).toBeGreaterThan(0);
      expect(t.cpuRatioPerTimestepToBatched).toBeGreaterThan(0);
      expect(t.ratioPerTimestepToBatchedKernel).toBeGreaterThan(0);
    }

    expect(result.scaling.map((s) => s.backend)).toEqual(['wasm', 'cpu']);
    for (const s of result.scaling) {
      expect(s.points.map((p) => p.seqLength)).toEqual([5, 10]);
      expect(s.onePass.lengthRatio).toBe(2);
      for (const [label, check, pick] of [['(b)', s.onePass, (p: ScalingPoint): Timing => p.onePass], ['(c)', s.batched, (p: ScalingPoint): Timing => p.batched]] as const) {
        const cpu = s.points.map((p) => pick(p).medianCpuMsPerConfig);
        const ratio = cpu[1] / cpu[0];
        const linear = ratio <= LINEAR_RATIO_SLACK * 2 && check.fit.r2 >= LINEAR_MIN_R2;
        expect(check.timeRatio, `${s.backend} ${label}: t(T=10)/t(T=5) should be the ratio of the CPU medians ${cpu.join(', ')}`).toBe(ratio);
        expect(check.linear, `${s.backend} ${label}: linear should be ratio ${ratio} ≤ ${LINEAR_RATIO_SLACK * 2} and R² ${check.fit.r2} ≥ ${LINEAR_MIN_R2}`).toBe(linear);
      }
    }
    // Every target flag is the comparison of its measured number with the stated target.
    const rnn = result.timings.find((t) => t.backend === 'wasm' && t.architecture === 'rnn')!;
    const expectedMet = [
      rnn.ratioPerTimestepToBatched >= TARGET_SPEEDUP,
      rnn.batched.medianMsPerConfig <= TARGET_MS_PER_CONFIG,
      rnn.ratioPerTimestepToBatchedKernel >= TARGET_SPEEDUP,
      ...result.scaling.flatMap((s) => [s.onePass.linear, s.batched.linear]),
    ];
    expect(result.targets.map((t) => t.met), `targets ${JSON.stringify(result.targets.map((t) => [t.name, t.detail, t.met]))}`).toEqual(expectedMet);
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
