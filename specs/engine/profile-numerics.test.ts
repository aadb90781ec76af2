import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradientProfile } from '../../src/api/layers-profile.js';
import { resolveBackend } from '../../src/backend/resolve.js';
import { DEMO_CONFIG, type ModelConfig, makeConfig } from '../../src/config/types.js';
import { createParams } from '../../src/models/params.js';
import { chainProfile } from '../../src/numerics/jacobian-chain.js';
import { describeMismatch, isClose, isCloseLog10 } from '../../src/numerics/close.js';
import { FLOAT32_MIN_NORMAL, float32Log10Tolerance, log10Disagreement, underflowDecades, underflowFloor } from '../../src/numerics/log-norm.js';
import { oracleRun } from '../../src/oracle/run.js';
import { type FlaggedTemporalProfile, temporalProfile } from '../../src/probes/gradient-profile.js';
import { productsPerEntry } from '../../src/probes/forward.js';
import { backendUnderflowFloor } from '../../src/backend/float32.js';
import { temporalProfileAutodiff } from '../../src/probes/gradient-profile-autodiff.js';
import { SMALL_CONFIGS, label, withModel } from './helpers.js';

/**
 * Honest numerics of the temporal profile (issue 15, part 8): float32 overflow in the forward or
 * backward pass is flagged (log10 NaN, `overflow` true, the quantity and first step named), never
 * shown as a number or as underflow; an underflow-only profile carries no overflow flag; and
 * tfjs agrees with the float64 oracle within float32Log10Tolerance exactly where rounding alone
 * separates them. Both the written-out backward pass and the autodiff reference, on both backends.
 */

const FLOAT32_MAX = 3.4028234663852886e38;

/** The case: ReLU with W_hh ~ N(0, 3²) at the demo sizes; the float32 forward pass overflows. */
const FORWARD_OVERFLOW = makeConfig({ activation: 'relu', recurrentInit: { kind: 'normal', std: 3 } });
/** tanh with zero inputs and biases keeps h_t = 0 (σ′ = 1), so the backward pass grows as W_hh^d alone. */
const BACKWARD_OVERFLOW = makeConfig({
  hiddenSize: 16,
  inputSize: 4,
  seqLength: 60,
  inputStd: 0,
  biasInit: { kind: 'zeros' },
  recurrentInit: { kind: 'normal', std: 3 },
});
/** A contracting vanilla RNN whose early gradients fall below float32's range (as profile.test.ts's). */
const UNDERFLOW_ONLY = makeConfig({ hiddenSize: 16, inputSize: 4, seqLength: 120, recurrentInit: { kind: 'uniform', low: -0.1, high: 0.1 } });
/** Chaotic tanh (N(0, 0.3²), H 100): float32 rounding grows along the trajectory, so tfjs leaves float64. */
const CHAOTIC = makeConfig({ recurrentInit: { kind: 'normal', std: 0.3 } });

const ENGINES = { 'written-out': temporalProfile, autodiff: temporalProfileAutodiff } as const;

beforeAll(async () => {
  await resolveBackend();
});

const bits = (flags: readonly boolean[]): string => flags.map(Number).join('');

/** The float32Log10Tolerance of a configuration: n = G·H + D products per entry, over T steps. */
function toleranceOf(config: ModelConfig) {
  const gates = config.architecture === 'lstm' ? 4 : config.architecture === 'gru' ? 3 : 1;
  return float32Log10Tolerance(config.seqLength, gates * config.hiddenSize + config.inputSize);
}

/**
 * Indices where tfjs and float64 disagree beyond the tolerance, for both series. The difference
 * allowed beyond rounding is the backend's underflow (the probe's floors, from
 * src/backend/float32.ts): where subnormals are flushed to zero (tfjs-node), products below the
 * smallest normal are lost, up to the floor in norm; on cpu and wasm the floor lies near 10⁻⁴³
 * and allows less than 10⁻⁴ decades at the smallest normal float32 norm.
 */
function disagreements(profile: FlaggedTemporalProfile, config: ModelConfig): { state: number[]; input: number[] } {
  const chain = chainProfile(oracleRun(createParams(config)));
  const tol = toleranceOf(config);
  const S = config.architecture === 'lstm' ? 2 * config.hiddenSize : config.hiddenSize;
  const terms = productsPerEntry(config);
  const at = (flags: boolean[]) => flags.flatMap((f, t) => (f ? [t] : []));
  return {
    state: at(log10Disagreement(profile.gradState[0], chain.log10GradState, S, tol, backendUnderflowFloor(S, terms))),
    input: at(log10Disagreement(profile.gradInput[0], chain.log10GradInput, config.inputSize, tol, backendUnderflowFloor(config.inputSize, terms))),
  };
}

describe(`temporal profile numerics (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  for (const [engine, profileOf] of Object.entries(ENGINES)) {
    it(
      `should flag the forward overflow of ReLU with W_hh ~ N(0, 3²) at the step where the float64 state ` +
        `leaves float32's range, and every value computed through it (${engine})`,
      async () => {
        const params = createParams(FORWARD_OVERFLOW);
        const T = FORWARD_OVERFLOW.seqLength;
        const profile = await withModel(params, profileOf);
        const [state, input] = [profile.gradState[0], profile.gradInput[0]];
        const first = profile.firstOverflow[0];
        // Independent: the first float64 state with an entry beyond float32's largest finite value.
        const f64Step = oracleRun(params).states.findIndex((s) => s.some((v) => Math.abs(v) > FLOAT32_MAX));
        expect(f64Step, `the float64 run leaves float32's range (first step ${f64Step}), else this test checks nothing`).toBeGreaterThan(0);
        expect(first?.quantity, `first overflow ${JSON.stringify(first)}`).toBe('forward state s_t');
        const oneStep = { atol: 1, rtol: 0 };
        expect(
          isClose(first?.step ?? -99, f64Step, oneStep),
          `${describeMismatch("float32 overflow step against the float64 state's first step beyond float32's range", first?.step ?? -99, f64Step, oneStep)} ` +
            `(±1 step for float32 rounding; largest float32 ${FLOAT32_MAX})`,
        ).toBe(true);
        expect(bits(state.overflow), `‖∂L/∂s_t‖ overflow flags: every step but the seed t = ${T - 1}`).toBe(`${'1'.repeat(T - 1)}0`);
        expect(bits(input.overflow), '‖∂L/∂x_t‖ overflow flags: every step (σ′ at the overflowed state)').toBe('1'.repeat(T));
        expect(bits([...state.underflow, ...input.underflow]), 'no overflowed value is reported as underflow').toBe('0'.repeat(2 * T));
        const shown = [...state.log10.slice(0, T - 1), ...input.log10];
        expect(
          shown.filter((v) => !Number.isNaN(v)),
          'every overflowed entry is log10 NaN, never a number or null',
        ).toEqual([]);
        const seed = Math.log10(Math.sqrt(FORWARD_OVERFLOW.hiddenSize)),
          decades = 5e-7;
        expect(
          isCloseLog10(state.log10[T - 1], seed, decades),
          `the seed ‖∂L/∂h_{T−1}‖ = ‖1‖ = √H: log10 ${state.log10[T - 1]} against ${seed} (±${decades} decades; null is an underflow)`,
        ).toBe(true);
      },
    );

    it(
      `should flag a backward-only overflow at the latest non-finite ∂L/∂s_t, and every earlier step, with ` +
        `the later steps still agreeing with float64 (${engine})`,
      async () => {
        const params = createParams(BACKWARD_OVERFLOW);
        const T = BACKWARD_OVERFLOW.seqLength;
        const profile = await withModel(params, profileOf);
        const first = profile.firstOverflow[0];
        const chain = chainProfile(oracleRun(params)).log10GradState;
        expect(first?.quantity, `first overflow ${JSON.stringify(first)}`).toBe('backward ∂L/∂s_t');
        const b = first?.step ?? -1;
        expect(b, `overflow step ${b} lies inside the sequence`).toBeGreaterThanOrEqual(0);
        expect(chain[b], `float64 log10‖∂L/∂s_${b}‖ = ${chain[b]} is at least float32's largest, log10 ${Math.log10(FLOAT32_MAX)} (±1e-3)`).toBeGreaterThan(
          Math.log10(FLOAT32_MAX) - 1e-3,
        );
        expect(bits(profile.gradState[0].overflow), `‖∂L/∂s_t‖ flags: t ≤ ${b}`).toBe('1'.repeat(b + 1) + '0'.repeat(T - 1 - b));
        expect(bits(profile.gradInput[0].overflow), `‖∂L/∂x_t‖ flags: t ≤ ${b}`).toBe('1'.repeat(b + 1) + '0'.repeat(T - 1 - b));
        const gaps = disagreements(profile, BACKWARD_OVERFLOW);
        expect(gaps, `steps after ${b} agree with float64 within ±${toleranceOf(BACKWARD_OVERFLOW).atol} decades`).toEqual({ state: [], input: [] });
      },
    );
  }

  it('should flag underflow and no overflow when the gradient only vanishes, and agree with float64 wherever both are in range', async () => {
    const profile = await withModel(createParams(UNDERFLOW_ONLY), temporalProfile);
    const under = profile.gradState[0].underflow.filter(Boolean).length;
    expect(under, `underflowed steps of ‖∂L/∂s_t‖: ${under} (else this test checks nothing)`).toBeGreaterThan(0);
    expect(profile.firstOverflow[0], `first overflow ${JSON.stringify(profile.firstOverflow[0])}`).toBeNull();
    expect(bits([...profile.gradState[0].overflow, ...profile.gradInput[0].overflow]), 'overflow flags').toBe('0'.repeat(2 * UNDERFLOW_ONLY.seqLength));
    expect(disagreements(profile, UNDERFLOW_ONLY), `disagreements beyond ±${toleranceOf(UNDERFLOW_ONLY).atol} decades`).toEqual({ state: [], input: [] });
  });

  it.each([...SMALL_CONFIGS, DEMO_CONFIG].map((c) => [label(c), c] as const))(
    'should raise no flag where float32 rounding alone separates tfjs from float64: %s',
    async (_, config) => {
      const profile = await withModel(createParams(config), temporalProfile);
      expect(profile.firstOverflow[0], `first overflow ${JSON.stringify(profile.firstOverflow[0])}`).toBeNull();
      expect(bits(profile.gradState[0].underflow), 'underflow flags').not.toContain('1');
      expect(disagreements(profile, config), `disagreements beyond ±${toleranceOf(config).atol} decades`).toEqual({ state: [], input: [] });
    },
  );

  it('should flag the disagreement of a chaotic tanh network, where rounding grows along the trajectory', async () => {
    const profile = await withModel(createParams(CHAOTIC), temporalProfile);
    const chain = chainProfile(oracleRun(createParams(CHAOTIC))).log10GradState;
    const gaps = profile.gradState[0].log10.map((v, t) => Math.abs((v ?? NaN) - chain[t]));
    const worst = Math.max(...gaps.filter(Number.isFinite));
    const atol = toleranceOf(CHAOTIC).atol;
    expect(worst, `largest |tfjs − float64| ${worst} decades, 10 × atol = ${10 * atol}`).toBeGreaterThan(10 * atol);
    expect(disagreements(profile, CHAOTIC).state.length, `steps flagged (largest gap ${worst})`).toBeGreaterThan(0);
  });
});

describe('float32Log10Tolerance and log10Disagreement', () => {
  it('should give log10(1 + 2T·γ_n) decades with rtol 0, and reject steps or terms that are not positive integers', () => {
    const u = 2 ** -24;
    const { atol, rtol } = float32Log10Tolerance(50, 200);
    const expected = Math.log10(1 + 100 * ((200 * u) / (1 - 200 * u)));
    const tol = { atol: 1e-15, rtol: 0 };
    expect(isClose(atol, expected, tol), describeMismatch('atol of float32Log10Tolerance(50, 200)', atol, expected, tol)).toBe(true);
    expect(rtol, 'rtol').toBe(0);
    for (const [steps, terms] of [
      [0, 10],
      [2.5, 10],
      [10, 0],
      [10, 2 ** 24],
    ]) {
      expect(() => float32Log10Tolerance(steps, terms), `steps ${steps}, terms ${terms}`).toThrow(/float32Log10Tolerance/);
    }
  });

  it("should compare numbers by isClose, skip overflowed entries, and flag an underflow only where float64 is within float32's normal range", () => {
    const tol = { atol: 1e-3, rtol: 0 };
    const floor = Math.log10(Math.sqrt(4) * FLOAT32_MIN_NORMAL);
    const series = {
      log10: [1, 1, NaN, null, null, 1],
      underflow: [false, false, false, true, true, false],
      overflow: [false, false, true, false, false, false],
    };
    const expected = [1.0005, 1.01, 5, floor - 1, floor + 1, -Infinity];
    const flags = log10Disagreement(series, expected, 4, tol);
    expect(flags, `flags for tfjs ${JSON.stringify(series.log10)} vs float64 ${expected}`).toEqual([false, true, false, false, true, true]);
  });

  it('should widen the comparison by the underflow floor: log10(1 + floor/min) decades for numbers, twice the floor for a flagged entry', () => {
    // A flushing backend's floor for 4-wide vectors of 20-product sums: √4·20·FLOAT32_MIN_NORMAL ≈ 4.7e-37.
    const floor = underflowFloor(4, 20, FLOAT32_MIN_NORMAL),
      lf = Math.log10(floor),
      tol = { atol: 1e-4, rtol: 0 };
    const allowed = underflowDecades(floor, lf + 1);
    const exact = Math.log10(1 + 0.1);
    expect(
      isClose(allowed, exact, { atol: 1e-12, rtol: 0 }),
      describeMismatch('decades allowed one decade above the floor', allowed, exact, { atol: 1e-12, rtol: 0 }),
    ).toBe(true);
    const series = { log10: [lf + 1 + 0.9 * allowed, lf + 1 + 1.1 * allowed + 1e-4, null, null, lf + 6 + 1e-5], underflow: [false, false, true, true, false] };
    const expected = [lf + 1, lf + 1, lf + Math.log10(2) - 1e-3, lf + Math.log10(2) + 1e-3 + 1e-4, lf + 6];
    const flags = log10Disagreement(series, expected, 4, tol, floor);
    expect(flags, `flags for tfjs ${JSON.stringify(series.log10)} vs float64 ${JSON.stringify(expected)}, floor ${floor}`).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(log10Disagreement(series, expected, 4, tol), 'the same series with floor 0 (a backend that keeps subnormals): only rounding allowed').toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(
      underflowFloor(4, 20, 2 ** -149),
      `the floor where subnormals are kept, ${underflowFloor(4, 20, 2 ** -149)}, lies below float32's smallest normal ${FLOAT32_MIN_NORMAL} by 5 decades`,
    ).toBeLessThan(FLOAT32_MIN_NORMAL * 1e-5);
    expect(() => underflowFloor(4, 20, 1e-30), 'a smallest kept magnitude outside [2^-149, 2^-126]').toThrow(/underflowFloor: smallestKept/);
  });
});

describe(`gradientProfile numerics on LayersModels (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  const T = 40,
    D = 3,
    H = 32;
  const reluRnn = (returnSequences: boolean, std: number) =>
    tf.sequential({
      layers: [
        tf.layers.simpleRNN({
          units: H,
          activation: 'relu',
          returnSequences,
          inputShape: [T, D],
          recurrentInitializer: tf.initializers.randomNormal({ mean: 0, stddev: std, seed: 1 }),
          kernelInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 2 }),
        }),
      ],
    });

  it.each([
    [false, 'forward loss L'],
    [true, 'forward output y_t'],
  ] as const)('should flag a forward overflow (returnSequences %s) as %s on every step, and release its tensors', async (returnSequences, quantity) => {
    const model = reluRnn(returnSequences, 3);
    const x = tf.randomNormal([2, T, D], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    const p = await gradientProfile(model, x);
    expect(tf.memory().numTensors, `tensors: ${before} before, ${tf.memory().numTensors} after`).toBe(before);
    x.dispose();
    model.dispose();
    expect(p.firstOverflow?.quantity, `first overflow ${JSON.stringify(p.firstOverflow)}`).toBe(quantity);
    if (returnSequences) expect(p.firstOverflow?.step, `step ${p.firstOverflow?.step} of the output`).toBeGreaterThan(0);
    else expect(p.firstOverflow?.step, 'the loss has no step').toBeNull();
    expect(bits(p.overflow), 'overflow flags').toBe('1'.repeat(T));
    expect(bits(p.underflow), 'no overflow reads as underflow').toBe('0'.repeat(T));
    expect(
      p.log10.filter((v) => !Number.isNaN(v)),
      'every overflowed log10 is NaN',
    ).toEqual([]);
  });

  it('should raise no overflow flag on a contracting ReLU network', async () => {
    const model = reluRnn(false, 0.05);
    const x = tf.randomNormal([2, T, D], 0, 1, 'float32', 3);
    const p = await gradientProfile(model, x);
    x.dispose();
    model.dispose();
    expect(p.firstOverflow, `first overflow ${JSON.stringify(p.firstOverflow)}`).toBeNull();
    expect(bits(p.overflow), 'overflow flags').toBe('0'.repeat(T));
  });
});
