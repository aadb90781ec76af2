import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { makeConfig } from '../../src/config/types.js';
import { createParams } from '../../src/models/params.js';
import type { FlaggedLog10Series } from '../../src/numerics/log-norm.js';
import { temporalProfile } from '../../src/probes/gradient-profile.js';
import { temporalProfileAutodiff } from '../../src/probes/gradient-profile-autodiff.js';
import { SMALL_CONFIGS, expectSameSeries, floorsOf, withModel } from './helpers.js';

/**
 * The written-out backward pass of the temporal profile against tfjs autodiff of the same
 * forward pass: every cell, one model and three models batched (the depthwise mat-vec path on
 * wasm), and a long vanilla sequence whose tail underflows float32.
 */

/** Float32 sums in another order: 10⁻⁴ decades is a relative error of 2·10⁻⁴. */
const DECADES = 1e-4;

beforeAll(async () => {
  await resolveBackend();
});

/**
 * Both passes run on the tfjs backend: where it flushes subnormals to zero (tfjs-node), each may
 * lose up to one underflow floor in norm, in different products (the two passes order their
 * operations differently), so they may differ by two floors (helpers.ts expectSameSeries; nothing
 * measurable on cpu and wasm).
 */
function expectAutodiffSeries(actual: FlaggedLog10Series, expected: FlaggedLog10Series, what: string, floor: number): void {
  expectSameSeries(actual, expected, what, ['written-out', 'autodiff'], { decades: DECADES, gap: 2 * floor, floor });
}

describe(`temporal profile, written-out backward pass (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  for (const config of SMALL_CONFIGS) {
    const name = `${config.architecture}/${config.activation}/${config.recurrentActivation}/H${config.hiddenSize}`;
    it(`should match tfjs autodiff for ${name}, alone and batched with two other seeds`, async () => {
      for (const seeds of [[config.seed], [config.seed, config.seed + 1, config.seed + 2]]) {
        const params = seeds.map((seed) => createParams({ ...config, seed }));
        const [fast, reference] = await withModel(params, async (m) => [await temporalProfile(m), await temporalProfileAutodiff(m)]);
        const floors = floorsOf(config);
        expect(
          fast.firstOverflow,
          `${name}: first overflow (written-out ${JSON.stringify(fast.firstOverflow)}, autodiff ${JSON.stringify(reference.firstOverflow)})`,
        ).toEqual(reference.firstOverflow);
        seeds.forEach((seed, c) => {
          expectAutodiffSeries(fast.gradState[c], reference.gradState[c], `${name} seed ${seed} of ${seeds.length}: ‖∂L/∂s_t‖`, floors.state);
          expectAutodiffSeries(fast.gradInput[c], reference.gradInput[c], `${name} seed ${seed} of ${seeds.length}: ‖∂L/∂x_t‖`, floors.input);
        });
      }
    });
  }

  it('should flag the same underflowed steps as autodiff on a long contracting sequence', async () => {
    const config = makeConfig({ hiddenSize: 16, inputSize: 4, seqLength: 120, recurrentInit: { kind: 'uniform', low: -0.1, high: 0.1 } });
    const [fast, reference] = await withModel(createParams(config), async (m) => [await temporalProfile(m), await temporalProfileAutodiff(m)]);
    const underflowed = reference.gradState[0].underflow.filter(Boolean).length;
    expect(underflowed, 'the reference underflows somewhere (else this test checks nothing)').toBeGreaterThan(0);
    expectAutodiffSeries(fast.gradState[0], reference.gradState[0], 'T = 120 ‖∂L/∂s_t‖', floorsOf(config).state);
  });
});
