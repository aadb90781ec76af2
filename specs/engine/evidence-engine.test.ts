import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { makeConfig } from '../../src/config/types.js';
import { gradientEvidence, profileInputSeries, profileOf, profileSeries } from '../../src/claims/evidence.js';
import { forEachShape, forEachShapeParams } from '../../src/claims/measure.js';
import { RunCache } from '../../src/engine/run-cache.js';
import { DEMO_BATCH_FLOATS, demoBatchLimit, demoProfile } from '../../src/probes/demo.js';
import { isCloseLog10 } from '../../src/numerics/close.js';
import { float32Log10Tolerance } from '../../src/numerics/log-norm.js';
import { productsPerEntry } from '../../src/probes/forward.js';

/**
 * The gradient claims' float32 profile comes from the kernel engine unless a claim asks for
 * tfjs ops (VG-FLOW-PRODUCT): each series names its engine, the two engines agree within float32
 * rounding, and a run's cache keeps their measurements apart.
 */

const DECADES = 1e-4;

beforeAll(async () => {
  await resolveBackend();
});

describe('gradientEvidence: which engine measured the profile', () => {
  const configs = [
    makeConfig({ architecture: 'lstm', hiddenSize: 8, inputSize: 3, seqLength: 12 }),
    makeConfig({ architecture: 'lstm', hiddenSize: 8, inputSize: 3, seqLength: 12, seed: 7 }),
    makeConfig({ architecture: 'layernorm', hiddenSize: 5, inputSize: 2, seqLength: 9 }),
  ];

  it('should measure on the kernel engine by default and on tfjs ops when asked, naming the source, within float32 rounding of each other', async () => {
    const cache = new RunCache();
    const kernel = await gradientEvidence(configs, { cache });
    const tfjs = await gradientEvidence(configs, { cache, engine: 'tfjs' });
    configs.forEach((config, i) => {
      const what = `${config.architecture} H${config.hiddenSize} seed ${config.seed}`;
      expect(kernel[i].profileSource, `${what}: default engine`).toBe('kernel-f32');
      expect(tfjs[i].profileSource, `${what}: engine tfjs`).toBe('tfjs-f32');
      expect(profileSeries(kernel[i]).source, `${what}: the series names its engine`).toBe('kernel-f32');
      expect(profileInputSeries(tfjs[i]).source, `${what}: the input series names its engine`).toBe('tfjs-f32');
      expect(profileOf(kernel[i]).source, `${what}: judged on the kernel's float32 series (nothing underflows here)`).toBe('kernel-f32');
      for (const [name, a, b] of [
        ['‖∂L/∂s_t‖', kernel[i].profile, tfjs[i].profile],
        ['‖∂L/∂x_t‖', kernel[i].profileInput, tfjs[i].profileInput],
      ] as const) {
        expect(a.log10.length, `${what} ${name}: length`).toBe(b.log10.length);
        a.log10.forEach((v, t) =>
          expect(isCloseLog10(v, b.log10[t], DECADES), `${what} ${name}[${t}]: kernel ${v} vs tfjs ${b.log10[t]} (±${DECADES} decades)`).toBe(true),
        );
      }
    });
  });

  it("should keep each engine's measurements apart in the run cache", async () => {
    const cache = new RunCache();
    const tfjs = await gradientEvidence(configs.slice(0, 1), { cache, engine: 'tfjs' });
    const kernel = await gradientEvidence(configs.slice(0, 1), { cache });
    const tfjsAgain = await gradientEvidence(configs.slice(0, 1), { cache, engine: 'tfjs' });
    expect(kernel[0].profileSource, 'a kernel request after a tfjs one is measured on the kernel').toBe('kernel-f32');
    expect(tfjsAgain[0].profile, 'the tfjs measurement is read back from the cache, the same object').toBe(tfjs[0].profile);
  });
});

describe('batches bounded by memory (the demo quantity)', () => {
  it("should hand a shape's configurations to the probe in batches of at most maxBatch, results in the input order", async () => {
    const shapes = [makeConfig({ hiddenSize: 3, inputSize: 2, seqLength: 4 }), makeConfig({ hiddenSize: 5, inputSize: 2, seqLength: 4 })];
    const configs = [0, 1, 2, 3, 4].flatMap((seed) => shapes.map((c) => ({ ...c, seed })));
    const batches: number[][] = [];
    const out = await forEachShapeParams(
      configs,
      async (params) => {
        batches.push(params.map((p) => p.config.seed));
        return params.map((p) => `${p.config.hiddenSize}/${p.config.seed}`);
      },
      () => 2,
    );
    expect(batches, 'each shape in batches of 2, then the rest').toEqual([[0, 1], [2, 3], [4], [0, 1], [2, 3], [4]]);
    expect(out, 'results in the order of the configurations').toEqual(configs.map((c) => `${c.hiddenSize}/${c.seed}`));
  });

  it('should measure the same demo quantity in batches as in one call (the batch axis does not mix configurations)', async () => {
    const config = makeConfig({ hiddenSize: 6, inputSize: 3, seqLength: 7 });
    const configs = [0, 1, 2].map((seed) => ({ ...config, seed }));
    const whole = await forEachShape(configs, (model) => demoProfile(model));
    const split = await forEachShape(
      configs,
      (model) => demoProfile(model),
      () => 1,
    );
    // cpu and wasm run each configuration of a batch through the same loops: batching changes no bit.
    // TensorFlow's kernels (tfjs-node) choose their blocking by the whole batch's shape, and with their
    // AVX2 code (ONEDNN_MAX_CPU_ISA=AVX2 here; AVX2-only machines) one configuration per call rounds
    // otherwise than three (differences near 1e-8 decades). There the values agree within the pass's
    // float32 rounding, float32Log10Tolerance(T, n), and the flags exactly; a configuration mixed into
    // another would be off by whole decades.
    if (tf.getBackend() !== 'tensorflow') {
      expect(split, 'one configuration per call vs three in one call: identical float32 values').toEqual(whole);
      return;
    }
    const tol = float32Log10Tolerance(config.seqLength, productsPerEntry(config));
    split.forEach((series, c) => {
      expect([series.underflow, series.overflow], `configuration ${c}: flags, one per call vs three in one call`).toEqual([
        whole[c].underflow,
        whole[c].overflow,
      ]);
      series.log10.forEach((v, t) => {
        const w = whole[c].log10[t];
        expect(
          v === w || (v !== null && w !== null && isCloseLog10(v, w, tol.atol)),
          `configuration ${c}, t = ${t}: one per call ${v}, three in one call ${w} (±${tol.atol} decades, float32 rounding over ${config.seqLength} steps)`,
        ).toBe(true);
      });
    });
  });

  it('should bound the demo batch by its float budget', () => {
    const demo = makeConfig({ hiddenSize: 100, inputSize: 100, seqLength: 50 });
    expect(demoBatchLimit(demo), 'the demo shape: 2^23 / (50 · 50 · 100) configurations').toBe(Math.floor(DEMO_BATCH_FLOATS / 250_000));
    expect(demoBatchLimit({ ...demo, architecture: 'lstm' }), 'an LSTM tapes four gates').toBe(Math.floor(DEMO_BATCH_FLOATS / (50 * 50 * 400)));
    expect(demoBatchLimit({ ...demo, seqLength: 2000 }), 'never below one configuration').toBe(1);
  });
});
