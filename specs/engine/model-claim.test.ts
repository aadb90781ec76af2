import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { type ModelClaimSpec, modelClaim, withinDecades } from '../../src/testing/claims.js';
import { regionMismatchMessage, verifyClaims } from '../../src/testing/vitest.js';
import { describeSubject } from '../../src/report/describe.js';

/**
 * modelClaim checks its definition when it is called, and verifyClaims refuses two claims of one
 * id when the suite is collected (issue 25, item 3): a mistake fails where the claim is written,
 * not when its test runs, with a ConfigError naming the field, the value and what is allowed.
 */

const T = 12;
const GOOD: ModelClaimSpec = {
  id: 'MY-RNN',
  statement: 'My RNN keeps its gradient.',
  predicate: 'log10‖∂L/∂x_{T−1}‖ − log10‖∂L/∂x_{T−6}‖ ≤ 3',
  build: (seed) =>
    tf.sequential({ layers: [tf.layers.simpleRNN({ units: 4, inputShape: [T, 2], kernelInitializer: tf.initializers.glorotUniform({ seed }) })] }),
  input: (seed) => tf.randomNormal([2, T, 2], 0, 1, 'float32', seed),
  check: withinDecades(5, 3),
  runs: 3,
};

/** The error a call throws, or null. */
function thrown(run: () => unknown): unknown {
  try {
    run();
    return null;
  } catch (e) {
    return e;
  }
}

describe('modelClaim validates its definition when it is called', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['an expected verdict that is not one', { expected: 'maybe' }, 'MY-RNN.expected'],
    ['a split expected without its band', { expected: 'mixed' }, 'MY-RNN.expected'],
    ['a build that is not a function', { build: 42 }, 'MY-RNN.build'],
    ['a missing input', { input: undefined }, 'MY-RNN.input'],
    ['a check that is not a function', { check: 'withinDecades' }, 'MY-RNN.check'],
    ['runs 0', { runs: 0 }, 'MY-RNN.runs'],
    ['runs 2.5', { runs: 2.5 }, 'MY-RNN.runs'],
    ['seeds the wrong way round', { seeds: [9, 1] }, 'MY-RNN.seeds'],
    ['an empty statement', { statement: '  ' }, 'MY-RNN.statement'],
    ['a section outside "User: …"', { section: 'The Core Problem' }, 'MY-RNN.section'],
    ['a loss that is not a function', { loss: 'sum' }, 'MY-RNN.loss'],
    ['an id with a space', { id: 'MY RNN' }, 'id'],
  ];
  for (const [name, change, field] of bad) {
    it(`should refuse ${name} with a ConfigError naming ${field}`, () => {
      const e = thrown(() => modelClaim({ ...GOOD, ...change } as unknown as ModelClaimSpec));
      expect(e, `modelClaim with ${JSON.stringify(change)} threw ${String(e)}, a ConfigError expected`).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field, `field "${(e as ConfigError).field}" against "${field}"; message: ${(e as Error).message}`).toBe(field);
    });
  }

  it('should accept a good definition, with holds as the default expectation', () => {
    const claim = modelClaim(GOOD);
    expect(
      claim.regions.map((r) => `${r.id}:${r.expected}:${r.runs}`),
      `regions of ${claim.id}`,
    ).toEqual(['seeds:holds:3']);
    const refuted = modelClaim({ ...GOOD, expected: 'refuted' });
    expect(refuted.regions[0].expected, 'an expected refuted is kept').toBe('refuted');
  });

  it('should make verifyClaims refuse two claims with one id when the suite is collected, before any test runs', () => {
    const e = thrown(() => verifyClaims([modelClaim(GOOD), modelClaim({ ...GOOD, statement: 'Another statement.' })]));
    expect(e, `verifyClaims with a repeated id threw ${String(e)}, a ConfigError expected`).toBeInstanceOf(ConfigError);
    expect((e as Error).message, `the message names the id: ${(e as Error).message}`).toContain('id MY-RNN given 2 times');
  });
});

describe("a user claim's failure message", () => {
  it('should name each seed by its kind: the fast-check seed that replays the region, the model seed of the counterexample', () => {
    const record = {
      counterexample: { subject: describeSubject({ seed: 1 }), config: { seed: 1 }, path: '0', shrinks: 3, numbers: { modelSeed: 1, decadesLost: 4.2 } },
      broken: null,
    };
    const message = regionMismatchMessage(
      { id: 'MY-RNN' },
      { id: 'seeds', expected: 'holds' },
      { verdict: 'mixed', counts: { holds: 9, fails: 1, broken: 0, outside: 0 }, cases: new Array(10), seed: 1764795743 },
      record,
    );
    expect(message, `message: ${message}`).toContain('fast-check seed 1764795743');
    expect(message, `message: ${message}`).toContain('smallest counterexample: model seed 1');
    const bare = [...message.matchAll(/(\S+ )?seed (\d+)/g)].filter((m) => !['fast-check ', 'model '].includes(m[1] ?? ''));
    expect(
      bare.map((m) => m[0]),
      `"seed N" without its kind in: ${message}`,
    ).toEqual([]);
  });
});
