import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { type ModelConfig, makeConfig } from '../../src/config/types.js';
import { createParams } from '../../src/models/params.js';
import type { Log10Series } from '../../src/numerics/log-norm.js';
import { temporalProfile } from '../../src/probes/gradient-profile.js';
import { buildKernelProfileModel, kernelProfile, temporalProfileKernel } from '../../src/probes/gradient-profile-kernel.js';
import { RecurrentKernel } from '../../src/kernels/recurrent.js';
import { SMALL_CONFIGS, expectSameSeries, floorsOf, label, withModel } from '../engine/helpers.js';

/**
 * The temporal profile on the kernel engine (gradient-profile-kernel.ts, the fused WebAssembly
 * kernel) against the tfjs path the claims use (gradient-profile.ts, itself checked against
 * tfjs autodiff in specs/engine/profile.test.ts): every cell and activation, several
 * configurations at once, every step of ‖∂L/∂s_t‖ and ‖∂L/∂x_t‖, the same underflow flags.
 * Runs on both tfjs backends (the reference differs by backend; the kernel does not).
 */

/** Float32 products summed in another order: 10⁻⁴ decades is a relative error of 2·10⁻⁴. */
const DECADES = 1e-4;

/** Sizes of 16 columns and more with scalar tails (the kernel's single-row product runs 16, then 4, then 1 column at a time). */
const WIDE_CONFIGS: readonly ModelConfig[] = [
  makeConfig({ architecture: 'rnn', hiddenSize: 37, inputSize: 19, seqLength: 9 }),
  makeConfig({ architecture: 'lstm', hiddenSize: 21, inputSize: 19, seqLength: 9, biasInit: { kind: 'pytorchDefault' } }),
  makeConfig({
    architecture: 'gru',
    hiddenSize: 21,
    inputSize: 19,
    seqLength: 9,
    recurrentInit: { kind: 'pytorchDefault' },
    inputInit: { kind: 'pytorchDefault' },
  }),
];

beforeAll(async () => {
  await resolveBackend();
});

/**
 * The kernel keeps subnormals (WebAssembly has no flush modes); the tfjs reference may not
 * (tfjs-node flushes them to zero): then it loses up to one underflow floor in norm, which the
 * comparison allows (helpers.ts expectSameSeries; nothing measurable on cpu and wasm).
 */
function expectKernelSeries(actual: Log10Series, expected: Log10Series, what: string, floor: number): void {
  expectSameSeries(actual, expected, what, ['kernel', 'tfjs'], { decades: DECADES, gap: floor, floor });
}

async function expectAgreement(config: ModelConfig, seeds: readonly number[]): Promise<void> {
  const params = seeds.map((seed) => createParams({ ...config, seed }));
  const reference = await withModel(params, temporalProfile);
  const kernel = temporalProfileKernel(buildKernelProfileModel(params));
  expect(kernel.firstOverflow, `${label(config)}: first overflow (kernel vs tfjs)`).toEqual(reference.firstOverflow);
  const floors = floorsOf(config);
  seeds.forEach((seed, c) => {
    expectKernelSeries(kernel.gradState[c], reference.gradState[c], `${label(config)} seed ${seed} of ${seeds.length}: ‖∂L/∂s_t‖`, floors.state);
    expectKernelSeries(kernel.gradInput[c], reference.gradInput[c], `${label(config)} seed ${seed} of ${seeds.length}: ‖∂L/∂x_t‖`, floors.input);
  });
}

describe(`temporal profile on the kernel engine (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  for (const config of [...SMALL_CONFIGS, ...WIDE_CONFIGS]) {
    it(`should match the tfjs profile for ${label(config)} (${config.inputSize} inputs), three configurations at once`, async () => {
      await expectAgreement(config, [config.seed, config.seed + 1, config.seed + 2]);
    });
  }

  it('should flag the same underflowed steps as the tfjs profile on a long contracting sequence', async () => {
    const config = makeConfig({ hiddenSize: 16, inputSize: 4, seqLength: 120, recurrentInit: { kind: 'uniform', low: -0.1, high: 0.1 } });
    const params = createParams(config);
    const reference = await withModel(params, temporalProfile);
    const kernel = temporalProfileKernel(buildKernelProfileModel([params]));
    const underflowed = reference.gradState[0].underflow.filter(Boolean).length;
    expect(underflowed, 'the reference underflows somewhere (else this test checks nothing)').toBeGreaterThan(0);
    const floors = floorsOf(config);
    expectKernelSeries(kernel.gradState[0], reference.gradState[0], 'T = 120 ‖∂L/∂s_t‖', floors.state);
    expectKernelSeries(kernel.gradInput[0], reference.gradInput[0], 'T = 120 ‖∂L/∂x_t‖', floors.input);
  });

  // issue 15's cases (specs/engine/profile-numerics.test.ts): ReLU with W_hh ~ N(0, 3²) overflows in the forward pass, and at T = 60 with no input only backward.
  for (const [what, config] of [
    ['a forward overflow', makeConfig({ activation: 'relu', recurrentInit: { kind: 'normal', std: 3 } })],
    [
      'a backward-only overflow',
      makeConfig({ hiddenSize: 16, inputSize: 4, seqLength: 60, inputStd: 0, biasInit: { kind: 'zeros' }, recurrentInit: { kind: 'normal', std: 3 } }),
    ],
  ] as const) {
    it(`should flag ${what} at the same step and on the same entries as the tfjs profile`, async () => {
      const params = createParams(config);
      const reference = await withModel(params, temporalProfile);
      const kernel = temporalProfileKernel(buildKernelProfileModel([params]));
      expect(reference.firstOverflow[0], 'the reference overflows (else this test checks nothing)').not.toBeNull();
      expect(kernel.firstOverflow, 'first overflow (kernel vs tfjs)').toEqual(reference.firstOverflow);
      const floors = floorsOf(config);
      expectKernelSeries(kernel.gradState[0], reference.gradState[0], `${what}: ‖∂L/∂s_t‖`, floors.state);
      expectKernelSeries(kernel.gradInput[0], reference.gradInput[0], `${what}: ‖∂L/∂x_t‖`, floors.input);
    });
  }

  it('should give the same profiles from the shared instance (kernelProfile) as from a fresh one, whatever ran before', () => {
    // Larger shapes first, so later calls reuse memory that held other weights and states.
    const shapes = [
      makeConfig({ architecture: 'lstm', hiddenSize: 24, inputSize: 7, seqLength: 30 }),
      makeConfig({ architecture: 'gru', hiddenSize: 9, inputSize: 3, seqLength: 12 }),
      makeConfig({ architecture: 'layernorm', hiddenSize: 5, inputSize: 2, seqLength: 8 }),
      makeConfig({ architecture: 'residual', hiddenSize: 6, inputSize: 4, seqLength: 10 }),
      makeConfig({ architecture: 'rnn', hiddenSize: 4, inputSize: 3, seqLength: 5 }),
    ];
    for (const config of [...shapes, ...shapes]) {
      const params = [createParams(config), createParams({ ...config, seed: config.seed + 1 })];
      expect(kernelProfile(params), `${label(config)}: shared instance vs a fresh one`).toEqual(temporalProfileKernel(buildKernelProfileModel(params)));
    }
  });

  it('should hand out zeroed memory again after a release', () => {
    const k = new RecurrentKernel();
    const at = k.mark();
    const first = k.alloc(1000);
    k.view(first, 1000).fill(7);
    k.release(at);
    const again = k.alloc(1500);
    expect(again, 'the released block is reused').toBe(first);
    expect(
      Array.from(k.view(again, 1500)).every((v) => v === 0),
      'every entry of the reused block is 0',
    ).toBe(true);
  });

  it('should name the architecture it cannot profile and the field two models disagree on', () => {
    const rnn = createParams(makeConfig({ hiddenSize: 4, inputSize: 3, seqLength: 5 }));
    const longer = createParams(makeConfig({ hiddenSize: 4, inputSize: 3, seqLength: 6 }));
    expect(() => buildKernelProfileModel([])).toThrow(/buildKernelProfileModel: params list must not be empty/);
    expect(() => buildKernelProfileModel([rnn, longer])).toThrow(/must share seqLength; got 6 and 5/);
  });
});
