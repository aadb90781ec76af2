import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { formatBench } from '../../tools/bench/format.js';
import {
  type BenchOptions,
  FULL_BENCH_OPTIONS,
  LINEAR_MIN_R2,
  LINEAR_RATIO_SLACK,
  type ScalingPoint,
  TARGET_MS_PER_CONFIG,
  TARGET_SPEEDUP,
  type Timing,
  runBench,
} from '../../tools/bench/profile-bench.js';
import { linearFit, median } from '../../tools/bench/stats.js';
import { LAYERS_BENCH_OPTIONS, timeLayersProfile } from '../../tools/bench/layers-bench.js';
import { describeMismatch, isClose } from '../../src/numerics/close.js';

/** Double-precision sums over four points. */
const FIT_TOL = { atol: 1e-10, rtol: 1e-12 };

// The benchmark's logic at tiny sizes: agreement must pass and the result must be complete. Timings are not asserted.
const TINY: BenchOptions = {
  ...FULL_BENCH_OPTIONS,
  backends: ['wasm', 'cpu', 'node'],
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
    expect(result.leakedTensors, `tensors leaked by the run: ${result.leakedTensors}`).toBe(0);

    expect(result.agreement, 'agreement checks: 7 per backend and architecture').toHaveLength(3 * 3 * 7);
    for (const check of result.agreement) {
      expect(check.passed, `${check.backend} ${check.architecture} ${check.name}: max |Δ| ${check.maxDiffDecades}`).toBe(true);
      expect(
        check.maxDiffDecades,
        `${check.backend} ${check.architecture} ${check.name}: max |Δ| ${check.maxDiffDecades} ≤ ${TINY.toleranceDecades} decades`,
      ).toBeLessThanOrEqual(TINY.toleranceDecades);
    }
    expect(result.agreed, 'every agreement check passed').toBe(true);

    expect(
      result.timings.map((t) => `${t.backend}/${t.architecture}`),
      'timed backends and architectures, in order',
    ).toEqual(['wasm/rnn', 'wasm/lstm', 'wasm/gru', 'cpu/rnn', 'cpu/lstm', 'cpu/gru', 'node/rnn', 'node/lstm', 'node/gru']);
    for (const t of result.timings) {
      for (const [timing, configs] of [
        [t.perTimestep, 1],
        [t.onePass, 1],
        [t.batched, TINY.batch],
        [t.batchedKernel, TINY.batch],
      ] as const) {
        expect(timing.samplesMs, `${t.backend} ${t.architecture}: wall samples ${timing.samplesMs.join(', ')}`).toHaveLength(TINY.repeats);
        expect(timing.cpuSamplesMs, `${t.backend} ${t.architecture}: CPU samples ${timing.cpuSamplesMs.join(', ')}`).toHaveLength(TINY.repeats);
        expect(timing.threadSamplesMs, `${t.backend} ${t.architecture}: main-thread CPU samples`).toHaveLength(TINY.repeats);
        expect(timing.configs, `${t.backend} ${t.architecture}: configurations per call`).toBe(configs);
        expect(timing.medianMsPerConfig, `${t.backend} ${t.architecture}: median ms per configuration`).toBeGreaterThan(0);
      }
      expect(t.ratioPerTimestepToBatched, `${t.backend} ${t.architecture}: (a)/(c)`).toBeGreaterThan(0);
      expect(t.ratioOnePassToBatched, `${t.backend} ${t.architecture}: (b)/(c)`).toBeGreaterThan(0);
      expect(t.cpuRatioPerTimestepToBatched, `${t.backend} ${t.architecture}: (a)/(c) in CPU time`).toBeGreaterThan(0);
      expect(t.ratioPerTimestepToBatchedKernel, `${t.backend} ${t.architecture}: (a)/(c) on the kernel engine`).toBeGreaterThan(0);
    }

    expect(
      result.scaling.map((s) => s.backend),
      'backends of the growth-in-T check',
    ).toEqual(['wasm', 'cpu', 'node']);
    for (const s of result.scaling) {
      expect(
        s.points.map((p) => p.seqLength),
        `${s.backend}: sequence lengths timed`,
      ).toEqual([5, 10]);
      expect(s.onePass.lengthRatio, `${s.backend}: T_max/T_min`).toBe(2);
      expect(
        s.points.map((p) => p.callsPerSample),
        `${s.backend}: calls per sample, T_max/T, so that each sample covers as many steps`,
      ).toEqual([2, 1]);
      const checks = [
        ['(b)', s.onePass, (p: ScalingPoint): Timing => p.onePass],
        ['(c) kernel engine', s.batchedKernel, (p: ScalingPoint): Timing => p.batchedKernel],
        ['(c) tfjs ops', s.batched, (p: ScalingPoint): Timing => p.batched],
      ] as const;
      for (const [label, check, pick] of checks) {
        // TensorFlow computes on its own threads too: tfjs ops on node are judged on the process's CPU time.
        const basis = s.backend === 'node' && label !== '(c) kernel engine' ? 'process CPU' : 'main-thread CPU';
        expect(check.basis, `${s.backend} ${label}: the verdict's time should be ${basis} time on Linux`).toBe(basis);
        const cpu = s.points.map((p) => (basis === 'main-thread CPU' ? (pick(p).medianThreadMsPerConfig as number) : pick(p).medianCpuMsPerConfig));
        const ratio = cpu[1] / cpu[0];
        const linear = ratio <= LINEAR_RATIO_SLACK * 2 && check.fit.r2 >= LINEAR_MIN_R2;
        expect(check.timeRatio, `${s.backend} ${label}: t(T=10)/t(T=5) should be the ratio of the ${basis} medians ${cpu.join(', ')}`).toBe(ratio);
        expect(
          check.linear,
          `${s.backend} ${label}: linear should be ratio ${ratio} ≤ ${LINEAR_RATIO_SLACK * 2} and R² ${check.fit.r2} ≥ ${LINEAR_MIN_R2}`,
        ).toBe(linear);
      }
    }
    // Every target flag is the comparison of its measured number with the stated target.
    const rnn = result.timings.find((t) => t.backend === 'wasm' && t.architecture === 'rnn')!;
    // (c) in the targets is the kernel engine's, which the gradient claims run.
    const expectedMet = [
      rnn.ratioPerTimestepToBatchedKernel >= TARGET_SPEEDUP,
      rnn.batchedKernel.medianMsPerConfig <= TARGET_MS_PER_CONFIG,
      ...result.scaling.flatMap((s) => [s.onePass.linear, s.batchedKernel.linear, s.batched.linear]),
    ];
    expect(
      result.targets.map((t) => t.met),
      `targets ${JSON.stringify(result.targets.map((t) => [t.name, t.detail, t.met]))}`,
    ).toEqual(expectedMet);
    expect(result.headline, `headline ${JSON.stringify(result.headline)}`).toMatchObject({
      backend: 'wasm',
      batch: TINY.batch,
      ratio: rnn.ratioPerTimestepToBatchedKernel,
    });

    const lines = formatBench(result);
    expect(lines.at(-1), 'the report ends with the headline ratio').toMatch(/^\(a\)\/\(c\) on wasm/);
  });

  it('should fail the agreement when the tolerance cannot be met, and then time nothing', async () => {
    const result = await runBench({ ...TINY, backends: ['cpu'], architectures: ['rnn'], toleranceDecades: 1e-300, scalingLengths: [] });
    expect(result.agreed, 'agreement at a tolerance of 1e-300 decades').toBe(false);
    expect(result.timings, 'no timings after a failed agreement').toHaveLength(0);
    expect(result.headline, 'no headline after a failed agreement').toBeNull();
    expect(formatBench(result).join('\n'), 'the report says the agreement failed').toMatch(/AGREEMENT FAILED/);
  });

  it('should time gradientProfile on a LayersModel on every backend at each length, the same steps per sample', async () => {
    const backendBefore = tf.getBackend();
    const lengths = [5, 10];
    const rows = await timeLayersProfile({ ...LAYERS_BENCH_OPTIONS, units: 4, features: 3, batch: 2, lengths, warmup: 0, repeats: 2 });
    expect(tf.getBackend(), 'backend restored').toBe(backendBefore);
    expect(
      rows.map((r) => r.backend),
      'backends timed',
    ).toEqual(['wasm', 'cpu', 'node']);
    for (const r of rows) {
      expect(
        r.points.map((p) => [p.seqLength, p.callsPerSample]),
        `${r.backend}: lengths and calls per sample (T_max/T)`,
      ).toEqual([
        [5, 2],
        [10, 1],
      ]);
      for (const p of r.points) expect(p.timing.samplesMs.length, `${r.backend} T=${p.seqLength}: samples ${p.timing.samplesMs.join(', ')}`).toBe(2);
      expect(r.growth.basis, `${r.backend}: growth judged on`).toBe('process CPU');
      expect(r.growth.linear, `${r.backend}: linear means ratio ${r.growth.timeRatio} ≤ ${r.growth.maxTimeRatio}`).toBe(
        r.growth.timeRatio <= r.growth.maxTimeRatio,
      );
    }
  });

  it('should compute medians and least-squares lines', () => {
    expect(median([3, 1, 2]), 'median of an odd count').toBe(2);
    expect(median([4, 1, 3, 2]), 'median of an even count: mean of the middle two').toBe(2.5);
    const fit = linearFit([50, 100, 200, 400], [1 + 0.5 * 50, 1 + 0.5 * 100, 1 + 0.5 * 200, 1 + 0.5 * 400]);
    for (const [what, actual, expected] of [
      ['slope', fit.slope, 0.5],
      ['intercept', fit.intercept, 1],
      ['R²', fit.r2, 1],
    ] as const) {
      expect(isClose(actual, expected, FIT_TOL), describeMismatch(`linearFit ${what} of an exact line`, actual, expected, FIT_TOL)).toBe(true);
    }
  });
});
