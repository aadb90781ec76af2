import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { makeConfig } from '../../src/config/types.js';
import { createParams } from '../../src/models/params.js';
import { isCloseLog10 } from '../../src/numerics/close.js';
import type { FlaggedLog10Series } from '../../src/numerics/log-norm.js';
import { temporalProfile } from '../../src/probes/gradient-profile.js';
import { temporalProfileAutodiff } from '../../src/probes/gradient-profile-autodiff.js';
import { SMALL_CONFIGS, withModel } from './helpers.js';

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

function expectSameSeries(actual: FlaggedLog10Series, expected: FlaggedLog10Series, what: string): void {
  expect(actual.log10.length, `${what}: length`).toBe(expected.log10.length);
  expect(actual.overflow, `${what}: overflow flags (written-out ${actual.overflow.map(Number).join('')}, autodiff ${expected.overflow.map(Number).join('')})`).toEqual(expected.overflow);
  expected.log10.forEach((e, t) => {
    const a = actual.log10[t];
    if (e === null || a === null) expect(a, `${what}[${t}]: underflow flags differ (written-out ${a}, autodiff ${e})`).toBe(e);
    else expect(isCloseLog10(a, e, DECADES), `${what}[${t}]: written-out ${a} vs autodiff ${e} (±${DECADES} decades)`).toBe(true);
  });
}

describe(`temporal profile, written-out backward pass (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  for (const config of SMALL_CONFIGS) {
    const name = `${config.architecture}/${config.activation}/${config.recurrentActivation}/H${config.hiddenSize}`;
    it(`should match tfjs autodiff for ${name}, alone and batched with two other seeds`, async () => {
      for (const seeds of [[config.seed], [config.seed, config.seed + 1, config.seed + 2]]) {
        const params = seeds.map((seed) => createParams({ ...config, seed }));
        const [fast, reference] = await withModel(params, async (m) => [await temporalProfile(m), await temporalProfileAutodiff(m)]);
        expect(fast.firstOverflow, `${name}: first overflow (written-out ${JSON.stringify(fast.firstOverflow)}, autodiff ${JSON.stringify(reference.firstOverflow)})`).toEqual(reference.firstOverflow);
        seeds.forEach((seed, c) => {
          expectSameSeries(fast.gradState[c], reference.gradState[c], `${name} seed ${seed} of ${seeds.length}: ‖∂L/∂s_t‖`);
          expectSameSeries(fast.gradInput[c], reference.gradInput[c], `${name} seed ${seed} of ${seeds.length}: ‖∂L/∂x_t‖`);
        });
      }
    });
  }

  it('should flag the same underflowed steps as autodiff on a long contracting sequence', async () => {
    const params = createParams(makeConfig({ hiddenSize: 16, inputSize: 4, seqLength: 120, recurrentInit: { kind: 'uniform', low: -0.1, high: 0.1 } }));
    const [fast, reference] = await withModel(params, async (m) => [await temporalProfile(m), await temporalProfileAutodiff(m)]);
    const underflowed = reference.gradState[0].underflow.filter(Boolean).length;
    expect(underflowed, 'the reference underflows somewhere (else this test checks nothing)').toBeGreaterThan(0);
    expect(fast.gradState[0].underflow, 'underflow flags of ‖∂L/∂s_t‖').toEqual(reference.gradState[0].underflow);
    expectSameSeries(fast.gradState[0], reference.gradState[0], 'T = 120 ‖∂L/∂s_t‖');
  });
});
