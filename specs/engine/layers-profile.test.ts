import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradientProfile } from '../../src/api/layers-profile.js';
import { resolveBackend } from '../../src/backend/resolve.js';
import { ConfigError } from '../../src/config/errors.js';
import { type Tolerance, describeMismatch, isClose } from '../../src/numerics/close.js';
import { LONGEST_SEQUENCE } from '../figures.js';

beforeAll(async () => {
  await resolveBackend();
});

/** tfjs float32 against the float64 backward pass, in decades: float32 rounding of a few dozen steps, far below any claim's threshold. */
const DECADES_TOL: Tolerance = { atol: 1e-4, rtol: 1e-5 };

/** log10 ‖∂L/∂x_t‖ of a SimpleRNN (tanh, loss = Σ h_T) by hand-written backpropagation in float64. */
function simpleRnnOracle(x: number[][][], K: number[][], R: number[][], b: number[]): number[] {
  const B = x.length,
    T = x[0].length,
    D = x[0][0].length,
    H = b.length;
  const hs: number[][][] = x.map(() => [new Array(H).fill(0)]);
  for (let i = 0; i < B; i++) {
    for (let t = 0; t < T; t++) {
      const prev = hs[i][t];
      hs[i].push(b.map((bj, j) => Math.tanh(bj + x[i][t].reduce((s, v, d) => s + v * K[d][j], 0) + prev.reduce((s, v, k) => s + v * R[k][j], 0))));
    }
  }
  const sq = new Array(T).fill(0);
  for (let i = 0; i < B; i++) {
    let dh = new Array(H).fill(1);
    for (let t = T - 1; t >= 0; t--) {
      const h = hs[i][t + 1];
      const da = dh.map((v, j) => v * (1 - h[j] * h[j]));
      for (let d = 0; d < D; d++) sq[t] += da.reduce((s, v, j) => s + v * K[d][j], 0) ** 2;
      dh = R.map((row) => row.reduce((s, v, j) => s + v * da[j], 0));
    }
  }
  return sq.map((s) => 0.5 * Math.log10(s));
}

describe('gradientProfile(model, input) for tfjs LayersModels', () => {
  it(
    'should match a float64 hand-written backward pass of a SimpleRNN within 1e-4 decades + 1e-5·|value| ' + '(property over sizes, scales and seeds)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            B: fc.integer({ min: 1, max: 3 }),
            T: fc.integer({ min: 2, max: 30 }),
            D: fc.integer({ min: 1, max: 4 }),
            H: fc.integer({ min: 1, max: 8 }),
            scale: fc.double({ min: 0.1, max: 1.5, noNaN: true }),
            seed: fc.integer({ min: 1, max: 1e6 }),
          }),
          async ({ B, T, D, H, scale, seed }) => {
            const before = tf.memory().numTensors;
            const model = tf.sequential({
              layers: [
                tf.layers.simpleRNN({
                  units: H,
                  inputShape: [T, D],
                  kernelInitializer: tf.initializers.randomUniform({ minval: -scale, maxval: scale, seed }),
                  recurrentInitializer: tf.initializers.randomUniform({ minval: -scale, maxval: scale, seed: seed + 1 }),
                  biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 2 }),
                }),
              ],
            });
            const [k, r, bias] = model.getWeights();
            const K = (await k.array()) as number[][],
              R = (await r.array()) as number[][],
              b = (await bias.array()) as number[];
            const xT = tf.randomUniform([B, T, D], -1, 1, 'float32', seed + 3);
            const x = (await xT.array()) as number[][][];
            xT.dispose();
            const profile = await gradientProfile(model, x);
            const expected = simpleRnnOracle(x, K, R, b);
            model.dispose();
            const after = tf.memory().numTensors;
            expect(after, `tensors after ${after} against before ${before}`).toBe(before);
            expect(profile.steps, `profile steps ${profile.steps} against T = ${T}`).toBe(T);
            profile.log10.forEach((v, t) => {
              if (expected[t] < -30) return; // float32 range: compared below, where underflow is flagged
              expect(v, `t = ${t}: tfjs ${v} flagged as underflow, float64 ${expected[t]}`).not.toBeNull();
              expect(
                isClose(v as number, expected[t], DECADES_TOL),
                describeMismatch(`t = ${t}: log10 ‖∂L/∂x_t‖ tfjs vs float64`, v as number, expected[t], DECADES_TOL),
              ).toBe(true);
            });
          },
        ),
        { numRuns: 20 },
      );
    },
  );

  it('should profile LSTM, GRU, stacked and bidirectional models with finite values or an explicit underflow flag, and release its tensors', async () => {
    const T = 40,
      D = 3;
    const builds: Array<[string, () => tf.LayersModel]> = [
      ['lstm', () => tf.sequential({ layers: [tf.layers.lstm({ units: 8, inputShape: [T, D] })] })],
      ['gru', () => tf.sequential({ layers: [tf.layers.gru({ units: 8, inputShape: [T, D] })] })],
      [
        'stacked',
        () =>
          tf.sequential({
            layers: [tf.layers.simpleRNN({ units: 8, inputShape: [T, D], returnSequences: true }), tf.layers.lstm({ units: 8 }), tf.layers.dense({ units: 1 })],
          }),
      ],
      ['bidirectional', () => tf.sequential({ layers: [tf.layers.bidirectional({ layer: tf.layers.gru({ units: 8 }) as tf.RNN, inputShape: [T, D] })] })],
    ];
    const x = tf.randomNormal([2, T, D], 0, 1, 'float32', 7);
    for (const [name, build] of builds) {
      const model = build();
      const before = tf.memory().numTensors;
      const p = await gradientProfile(model, x);
      const after = tf.memory().numTensors;
      expect(after, `${name}: tensors after ${after} against before ${before}`).toBe(before);
      expect(p.log10.length, `${name}: ${p.log10.length} steps against T = ${T}`).toBe(T);
      expect(p.recurrentLayers.length, `${name}: recurrent layers found: ${JSON.stringify(p.recurrentLayers)}`).toBeGreaterThan(0);
      p.log10.forEach((v, t) =>
        expect(v === null ? p.underflow[t] : Number.isFinite(v) && !p.underflow[t], `${name} t = ${t}: log10 ${v}, underflow flag ${p.underflow[t]}`).toBe(
          true,
        ),
      );
      model.dispose();
    }
    x.dispose();
  });

  it(`should flag float32 underflow at T = ${LONGEST_SEQUENCE} instead of reporting a 0, and keep the late steps finite`, async () => {
    const T = LONGEST_SEQUENCE;
    const model = tf.sequential({
      layers: [
        tf.layers.simpleRNN({
          units: 16,
          inputShape: [T, 4],
          recurrentInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 1 }),
          kernelInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 2 }),
        }),
      ],
    });
    const x = tf.randomNormal([2, T, 4], 0, 1, 'float32', 3);
    const p = await gradientProfile(model, x);
    x.dispose();
    model.dispose();
    expect(p.underflow[0], `underflow flag at t = 0: ${p.underflow[0]}; the first step underflows float32 after ${T - 1} contracting steps`).toBe(true);
    expect(p.log10[0], `log10 at t = 0: ${p.log10[0]}, null expected for an underflow`).toBeNull();
    const bad = p.log10.map((v, t) => [t, v] as const).filter(([, v]) => !(v === null || Number.isFinite(v)));
    expect(bad.length, `steps neither finite nor flagged (t, value): ${JSON.stringify(bad.slice(0, 5))}`).toBe(0);
    expect(p.log10[T - 1], `log10 at the last step t = ${T - 1}: ${p.log10[T - 1]}, finite expected`).not.toBeNull();
    expect(p.decadesFirstToLast, `decades first to last ${p.decadesFirstToLast}, null expected when the first step underflowed`).toBeNull();
  });

  it('should reject what is not a recurrent model or not a fitting sequence with a ConfigError naming the argument', async () => {
    const dense = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const rnn = tf.sequential({ layers: [tf.layers.simpleRNN({ units: 2, inputShape: [5, 3] })] });
    const anyT = tf.sequential({ layers: [tf.layers.simpleRNN({ units: 2, inputShape: [null, 3] as unknown as number[] })] });
    const inputs = {
      rank2: tf.zeros([5, 3]),
      wrongT: tf.zeros([1, 4, 3]),
      wrongD: tf.zeros([1, 5, 2]),
      oneStep: tf.zeros([1, 1, 3]),
      int: tf.zeros([1, 5, 3], 'int32'),
    };
    const cases: Array<[string, () => Promise<unknown>, string]> = [
      ['not a model', () => gradientProfile({} as tf.LayersModel, [[[0]]]), 'model'],
      ['no recurrent layer', () => gradientProfile(dense, [[[0, 0, 0]]]), 'model'],
      ['rank 2 input', () => gradientProfile(rnn, inputs.rank2), 'input'],
      ['wrong T', () => gradientProfile(rnn, inputs.wrongT), 'input'],
      ['wrong features', () => gradientProfile(rnn, inputs.wrongD), 'input'],
      ['T = 1', () => gradientProfile(anyT, inputs.oneStep), 'input'],
      ['int32 input', () => gradientProfile(rnn, inputs.int), 'input'],
      ['ragged array', () => gradientProfile(rnn, [[[0, 0, 0]], [[0]]] as number[][][]), 'input'],
    ];
    const before = tf.memory().numTensors;
    for (const [name, run, field] of cases) {
      const err = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `${name}: threw ${String(err)}, a ConfigError expected`).toBeInstanceOf(ConfigError);
      const e = err as ConfigError;
      expect(e.field, `${name}: field "${e.field}" against "${field}"`).toBe(field);
      expect(e.message.length, `${name}: message "${e.message}" (${e.message.length} characters) against more than 10`).toBeGreaterThan(10);
    }
    const after = tf.memory().numTensors;
    expect(after, `tensors after bad input ${after} against before ${before}`).toBe(before);
    for (const t of Object.values(inputs)) t.dispose();
    for (const m of [dense, rnn, anyT]) m.dispose();
  });

  it(
    'should reject non-finite or empty input, and a loss that throws, returns a non-scalar or ignores the ' +
      'output, with a ConfigError naming the argument, releasing every tensor after each',
    async () => {
      const T = 30,
        D = 3;
      const lstm = tf.sequential({ layers: [tf.layers.lstm({ units: 8, inputShape: [T, D] })] });
      const x = tf.randomNormal([2, T, D], 0, 1, 'float32', 11);
      const withNaN = tf.tidy(() => tf.concat([tf.fill([1, T, D], NaN), tf.zeros([1, T, D])]));
      const withInf = tf.tidy(() => tf.concat([tf.zeros([1, T - 1, D]), tf.fill([1, 1, D], Infinity)], 1));
      const emptyBatch = tf.zeros([0, T, D]);
      const cases: Array<[string, () => Promise<unknown>, string, RegExp]> = [
        ['NaN in the input', () => gradientProfile(lstm, withNaN), 'input', /non-finite .*NaN at \[0, 0, 0\]/],
        ['+∞ in the input', () => gradientProfile(lstm, withInf), 'input', /non-finite .*Infinity at \[0, 29, 0\]/],
        ['an empty batch [0, T, D]', () => gradientProfile(lstm, emptyBatch), 'input', /shape \[0, 30, 3\]/],
        [
          'a loss that throws',
          () =>
            gradientProfile(lstm, x, {
              loss: () => {
                throw new Error('my loss failed');
              },
            }),
          'options.loss',
          /threw Error: my loss failed/,
        ],
        ['a loss returning the whole output', () => gradientProfile(lstm, x, { loss: (y) => y as tf.Scalar }), 'options.loss', /shape \[2, 8\]/],
        ['a loss returning a number', () => gradientProfile(lstm, x, { loss: () => 3 as unknown as tf.Scalar }), 'options.loss', /returning 3/],
        ['a loss not computed from the output', () => gradientProfile(lstm, x, { loss: () => tf.scalar(1) }), 'options.loss', /does not depend on the model/],
        ['a loss that is not a function', () => gradientProfile(lstm, x, { loss: 'sum' as unknown as () => tf.Scalar }), 'options.loss', /"sum"/],
      ];
      for (const [name, run, field, message] of cases) {
        const before = tf.memory().numTensors;
        const err = await run().then(
          () => null,
          (e: unknown) => e,
        );
        const after = tf.memory().numTensors;
        expect(err, `${name}: threw ${String(err)}, a ConfigError expected`).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).field, `${name}: field "${(err as ConfigError).field}" against "${field}"`).toBe(field);
        expect((err as ConfigError).message, `${name}: message "${(err as ConfigError).message}" against ${message}`).toMatch(message);
        expect(after, `${name}: tensors after the error ${after} against before ${before} (${after - before} left behind)`).toBe(before);
      }
      const thrown = await gradientProfile(lstm, x, {
        loss: () => {
          throw new RangeError('inner');
        },
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((thrown as Error).cause, `the loss's own error is the ConfigError's cause: ${String((thrown as Error).cause)}`).toBeInstanceOf(RangeError);
      for (const t of [x, withNaN, withInf, emptyBatch]) t.dispose();
      lstm.dispose();
    },
  );

  it(
    'should name a wrapped recurrent layer as documented, "Bidirectional(GRU)(name)", and give the ' +
      'decades lost as a positive number when the gradient vanishes',
    async () => {
      const T = 60,
        D = 2;
      const bi = tf.sequential({ layers: [tf.layers.bidirectional({ layer: tf.layers.gru({ units: 4 }) as tf.RNN, inputShape: [T, D], name: 'both_ways' })] });
      const timed = tf.sequential({
        layers: [tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }), inputShape: [T, D] }), tf.layers.simpleRNN({ units: 4, name: 'plain' })],
      });
      const x = tf.randomNormal([2, T, D], 0, 1, 'float32', 5);
      const [pb, pt] = [await gradientProfile(bi, x), await gradientProfile(timed, x)];
      expect(pb.recurrentLayers, `names of a Bidirectional GRU: ${JSON.stringify(pb.recurrentLayers)}`).toEqual(['Bidirectional(GRU)(both_ways)']);
      expect(pt.recurrentLayers, `names of a SimpleRNN after a TimeDistributed dense: ${JSON.stringify(pt.recurrentLayers)}`).toEqual(['SimpleRNN(plain)']);
      const contracting = tf.sequential({
        layers: [
          tf.layers.simpleRNN({
            units: 8,
            inputShape: [T, D],
            recurrentInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 1 }),
            kernelInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 2 }),
          }),
        ],
      });
      const p = await gradientProfile(contracting, x);
      const first = p.log10[0] as number,
        last = p.log10[T - 1] as number;
      expect(p.decadesLost, `decades lost ${p.decadesLost} against log10‖∂L/∂x_T−1‖ − log10‖∂L/∂x_0‖ = ${last} − ${first}`).toBe(last - first);
      expect(p.decadesLost, `decades lost ${p.decadesLost} over ${T} contracting steps: positive`).toBeGreaterThan(1);
      expect(p.decadesFirstToLast, `the deprecated decadesFirstToLast ${p.decadesFirstToLast} keeps its sign: −decadesLost`).toBe(-(p.decadesLost as number));
      for (const m of [bi, timed, contracting]) m.dispose();
      x.dispose();
    },
  );
});
