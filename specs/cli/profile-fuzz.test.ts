import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradientProfile } from '../../src/api/layers-profile.js';
import { resolveBackend } from '../../src/backend/resolve.js';
import { measureProfile, profilePlot } from '../../src/cli/profile.js';
import { profileTable } from '../../src/cli/profile-table.js';
import { ACTIVATIONS, ARCHITECTURES, DEMO_CONFIG, FORGET_BIASES, type InitScheme, MAX_SEQ_LENGTH, RECURRENT_ACTIVATIONS } from '../../src/config/types.js';
import { validateModelConfig } from '../../src/config/validate.js';
import { FUZZED_LONGEST_SEQUENCE, PROFILE_FUZZ_RUNS } from '../figures.js';

/**
 * Every number `vg profile` prints and gradientProfile returns is backed or flagged (issue 25,
 * item 2): fast-check draws extreme but valid configurations (every cell and activation, weight
 * scales from 10⁻³ to 10³, T up to FUZZED_LONGEST_SEQUENCE) and no printed or returned value may be
 * NaN or ±∞ without its flag (overflow, underflow, float64 zero), nor a plot point left out without a reason.
 */

beforeAll(async () => {
  await resolveBackend();
});

/** T: short sequences and long ones up to the fuzzed longest, its end included. */
const steps = fc.oneof(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 61, max: FUZZED_LONGEST_SEQUENCE }), fc.constant(FUZZED_LONGEST_SEQUENCE));
/** A weight scale, log-uniform over six decades: vanishing, ordinary and exploding. */
const scale = fc.double({ min: -3, max: 3, noNaN: true }).map((e) => Number((10 ** e).toPrecision(3)));
const init: fc.Arbitrary<InitScheme> = fc.oneof(
  scale.map((std) => ({ kind: 'normal' as const, std })),
  scale.map((a) => ({ kind: 'uniform' as const, low: -a, high: a })),
  fc.tuple(scale, fc.boolean()).map(([gain, negative]) => ({ kind: 'orthogonal' as const, gain: negative ? -gain : gain })),
  fc.constantFrom<InitScheme>({ kind: 'zeros' }, { kind: 'pytorchDefault' }, { kind: 'glorotUniform' }),
);
const bias: fc.Arbitrary<InitScheme> = fc.oneof(
  scale.map((std) => ({ kind: 'normal' as const, std })),
  fc.constant<InitScheme>({ kind: 'zeros' }),
);
const config = fc
  .record({
    architecture: fc.constantFrom(...ARCHITECTURES),
    activation: fc.constantFrom(...ACTIVATIONS),
    recurrentActivation: fc.constantFrom(...RECURRENT_ACTIVATIONS),
    forgetBias: fc.constantFrom(...FORGET_BIASES),
    hiddenSize: fc.integer({ min: 1, max: 8 }),
    inputSize: fc.integer({ min: 1, max: 4 }),
    seqLength: steps,
    recurrentInit: init,
    inputInit: init,
    biasInit: bias,
    inputStd: fc.oneof(fc.constant(0), scale),
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
  })
  .map((c) => validateModelConfig({ ...DEMO_CONFIG, ...c }));

/** Checked in every run besides the sampled ones: the longest sequence through a ReLU cell whose W_hh ~ N(0, 1000²) overflows float32 and then float64. */
const LONGEST_EXTREME_CONFIG = validateModelConfig({
  ...DEMO_CONFIG,
  activation: 'relu',
  hiddenSize: 8,
  inputSize: 4,
  seqLength: FUZZED_LONGEST_SEQUENCE,
  recurrentInit: { kind: 'normal', std: 1000 },
  inputStd: 1000,
});

/** A printed cell: a finite number, or one of the flags the table's footers explain. */
const CELL = /^(-?\d+\.\d{3}|overflow|underflow|zero)$/;

describe('vg profile on extreme but valid configurations', () => {
  it(`should print and draw no NaN or ±∞: every value a number or flagged, every flag explained in a ` +
    `footer (${PROFILE_FUZZ_RUNS} configurations, T up to ${FUZZED_LONGEST_SEQUENCE})`, async () => {
    await fc.assert(
      fc.asyncProperty(config, async (c) => {
        const measured = await measureProfile(c);
        const lines = profileTable(measured.tfjs, measured.float64, measured.shape);
        const T = c.seqLength;
        const rows = lines.filter((l) => /^\s+\d+\s/.test(l)).map((l) => l.trim().split(/\s{2,}/));
        const context = `config ${JSON.stringify(c)}`;
        expect(rows.length, `${context}: ${rows.length} rows against T = ${T}`).toBe(T);
        const bad = rows.filter((r) => !r.slice(1, 5).every((cell) => CELL.test(cell)));
        expect(bad.slice(0, 3), `${context}: rows with a cell neither a finite number nor a flag`).toEqual([]);
        const footer = lines.filter((l) => !/^\s+\d+\s/.test(l)).join('\n');
        const flagged = (column: number, flag: string): boolean => rows.some((r) => r[column] === flag);
        const explained: Array<[boolean, RegExp, string]> = [
          [flagged(1, 'overflow') || flagged(3, 'overflow'), /^float32 overflow: /m, 'float32 overflow'],
          [flagged(1, 'underflow') || flagged(3, 'underflow'), /^float32 underflow /m, 'float32 underflow'],
          [flagged(2, 'overflow') || flagged(4, 'overflow'), /^float64 overflow: /m, 'float64 overflow'],
          [flagged(2, 'zero') || flagged(4, 'zero'), /^float64 zero /m, 'float64 zero'],
        ];
        for (const [shown, line, name] of explained)
          expect(
            line.test(footer),
            `${context}: ${name} ${shown ? 'shown without' : 'explained but not shown, in'} its footer:\n${footer.slice(0, 1500)}`,
          ).toBe(shown);
        const f64 = [
          [measured.float64.log10GradState, measured.float64.state],
          [measured.float64.log10GradInput, measured.float64.input],
        ] as const;
        for (const [values, flags] of f64) {
          const unflagged = values.flatMap((v, t) => (Number.isFinite(v) || flags.overflow[t] || flags.zero[t] ? [] : [`t ${t}: ${v}`]));
          expect(unflagged.slice(0, 3), `${context}: float64 values non-finite without a flag`).toEqual([]);
        }
        const plot = profilePlot(c, measured);
        const undrawn = plot.series.flatMap((s) => s.points.filter((p) => !(p.y !== null && Number.isFinite(p.y)) && !p.gap).map((p) => `${s.name} at ${p.x}`));
        expect(undrawn.slice(0, 3), `${context}: plot points left out without a reason`).toEqual([]);
        const xs = plot.series.flatMap((s) => s.points.map((p) => p.x));
        expect([Math.min(...xs), Math.max(...xs)], `${context}: the plot's distances span 0 to T − 1`).toEqual([0, T - 1]);
      }),
      { numRuns: PROFILE_FUZZ_RUNS, examples: [[LONGEST_EXTREME_CONFIG]] },
    );
  }, 300_000);
});

/** A tfjs recurrent layer with extreme initial weights, on an input of extreme scale. */
const layersCase = fc.record({
  cell: fc.constantFrom('simpleRNN', 'lstm', 'gru'),
  activation: fc.constantFrom('tanh', 'relu', 'linear', 'sigmoid'),
  units: fc.integer({ min: 1, max: 4 }),
  features: fc.integer({ min: 1, max: 3 }),
  batch: fc.integer({ min: 1, max: 2 }),
  T: steps,
  kernel: scale,
  recurrent: scale,
  input: scale,
  seed: fc.integer({ min: 1, max: 1e6 }),
});

/** Checked in every run besides the sampled ones: the longest sequence through a ReLU SimpleRNN with weights ~ N(0, 1000²), which overflows float32. */
const LONGEST_EXTREME_MODEL = {
  cell: 'simpleRNN',
  activation: 'relu',
  units: 4,
  features: 3,
  batch: 2,
  T: FUZZED_LONGEST_SEQUENCE,
  kernel: 1000,
  recurrent: 1000,
  input: 1,
  seed: 7,
};

describe('gradientProfile on extreme but valid models and inputs', () => {
  it(`should return no NaN or ±∞ without its flag, in the profile and in decadesLost (${PROFILE_FUZZ_RUNS} ` +
    `models, T up to ${FUZZED_LONGEST_SEQUENCE})`, async () => {
    await fc.assert(
      fc.asyncProperty(layersCase, async (k) => {
        const options = {
          units: k.units,
          inputShape: [k.T, k.features],
          ...(k.cell === 'simpleRNN' ? { activation: k.activation as 'tanh' } : {}),
          kernelInitializer: tf.initializers.randomNormal({ stddev: k.kernel, seed: k.seed }),
          recurrentInitializer: tf.initializers.randomNormal({ stddev: k.recurrent, seed: k.seed + 1 }),
        };
        // tf.tidy releases what the initializers leave behind (as modelClaim does); the weights are variables, which it keeps.
        let model!: tf.LayersModel;
        tf.tidy(() => {
          model = tf.sequential({
            layers: [k.cell === 'lstm' ? tf.layers.lstm(options) : k.cell === 'gru' ? tf.layers.gru(options) : tf.layers.simpleRNN(options)],
          });
        });
        const x = tf.randomNormal([k.batch, k.T, k.features], 0, k.input, 'float32', k.seed + 2);
        const before = tf.memory().numTensors;
        try {
          const p = await gradientProfile(model, x);
          const context = `case ${JSON.stringify(k)}`;
          expect(tf.memory().numTensors, `${context}: tensors after the profile against before`).toBe(before);
          const unflagged = p.log10.flatMap((v, t) =>
            v === null
              ? p.underflow[t]
                ? []
                : [`t ${t}: null without underflow`]
              : Number.isFinite(v)
                ? []
                : p.overflow[t]
                  ? []
                  : [`t ${t}: ${v} without overflow`],
          );
          expect(unflagged.slice(0, 3), `${context}: values neither finite nor flagged`).toEqual([]);
          const ends = [0, k.T - 1];
          const lost = p.decadesLost;
          const lostOk = lost === null ? ends.some((t) => p.underflow[t]) : Number.isFinite(lost) || ends.some((t) => p.overflow[t]);
          expect(
            lostOk,
            `${context}: decadesLost ${lost} with ends underflow ${ends.map((t) => p.underflow[t])}, overflow ${ends.map((t) => p.overflow[t])}`,
          ).toBe(true);
          expect(
            p.firstOverflow !== null,
            `${context}: firstOverflow ${JSON.stringify(p.firstOverflow)} against ${p.overflow.filter(Boolean).length} overflowed steps`,
          ).toBe(p.overflow.some(Boolean));
        } finally {
          x.dispose();
          model.dispose();
        }
      }),
      { numRuns: PROFILE_FUZZ_RUNS, examples: [[LONGEST_EXTREME_MODEL]] },
    );
  }, 300_000);

  it(`should keep the fuzzed lengths within what both take (${MAX_SEQ_LENGTH})`, () => {
    expect(FUZZED_LONGEST_SEQUENCE, `fuzzed T ${FUZZED_LONGEST_SEQUENCE} against the profile's maximum ${MAX_SEQ_LENGTH}`).toBeLessThanOrEqual(MAX_SEQ_LENGTH);
  });
});
