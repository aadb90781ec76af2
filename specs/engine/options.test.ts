import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import {
  DEFAULT_ENGINE_OPTIONS,
  type EngineOptions,
  OPTIONS_VARIABLE,
  engineOptionsFromEnv,
  parseEngineOptions,
  serialiseEngineOptions,
} from '../../src/engine/options.js';
import { bandOf, inBand, wilsonInterval } from '../../src/engine/bands.js';
import { matchesExpectation } from '../../src/engine/run-region.js';
import { describeMismatch, isClose } from '../../src/numerics/close.js';

/** The ConfigError a call throws, or null. */
function errorOf(f: () => unknown): ConfigError | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
}

describe('engine options: one typed object from the CLI to the spec processes', () => {
  it('should round-trip any valid options through the environment variable unchanged', () => {
    const options = fc.record({
      claims: fc.array(fc.constantFrom('VG-DEMO-GAP', 'VG-GAMMA-COMMON')),
      regions: fc.array(fc.constantFrom('VG-DEMO-GAP [demo-as-written]', 'VG-GAMMA-COMMON [orthogonal]')),
      sections: fc.array(fc.constantFrom('The Core Problem', 'Mitigation Strategies')),
      verdicts: fc.array(fc.constantFrom('holds', 'refuted', 'conditional')),
      runs: fc.option(fc.integer({ min: 1, max: 10_000 })),
      pinned: fc.option(fc.record({ hiddenSize: fc.integer({ min: 1, max: 64 }) })),
      jobs: fc.option(fc.integer({ min: 1, max: 256 })),
      training: fc.constantFrom('reduced' as const, 'full' as const),
      trainingShard: fc.option(fc.integer({ min: 1, max: 4 }).map((i) => `${i}/4`)),
      evidenceDir: fc.option(fc.constantFrom('reports/evidence', '/tmp/x')),
      record: fc.boolean(),
    });
    fc.assert(
      fc.property(options, (o: EngineOptions) => {
        const back = engineOptionsFromEnv({ [OPTIONS_VARIABLE]: serialiseEngineOptions(o) });
        expect(back, `round trip of ${serialiseEngineOptions(o)}`).toEqual(o);
      }),
    );
  });

  it('should give the defaults when the variable is unset or empty', () => {
    expect(engineOptionsFromEnv({}), 'unset').toEqual(DEFAULT_ENGINE_OPTIONS);
    expect(engineOptionsFromEnv({ [OPTIONS_VARIABLE]: '' }), 'empty').toEqual(DEFAULT_ENGINE_OPTIONS);
  });

  it('should refuse bad input with an error naming the field, the value and what is allowed', () => {
    const cases: [unknown, string][] = [
      [[], OPTIONS_VARIABLE],
      [{ claim: ['VG-DEMO-GAP'] }, `${OPTIONS_VARIABLE}.claim`],
      [{ runs: 0 }, `${OPTIONS_VARIABLE}.runs`],
      [{ runs: 1.5 }, `${OPTIONS_VARIABLE}.runs`],
      [{ jobs: 300 }, `${OPTIONS_VARIABLE}.jobs`],
      [{ training: 'medium' }, `${OPTIONS_VARIABLE}.training`],
      [{ trainingShard: '3/2' }, `${OPTIONS_VARIABLE}.trainingShard`],
      [{ evidenceDir: '' }, `${OPTIONS_VARIABLE}.evidenceDir`],
      [{ record: 'yes' }, `${OPTIONS_VARIABLE}.record`],
      [{ claims: 'VG-DEMO-GAP' }, `${OPTIONS_VARIABLE}.claims`],
      [{ pinned: { hiddenSize: -3 } }, 'hiddenSize'],
    ];
    for (const [raw, field] of cases) {
      const e = errorOf(() => parseEngineOptions(raw));
      expect(e?.field, `parseEngineOptions(${JSON.stringify(raw)}) should name ${field}; got ${e?.message ?? 'no error'}`).toBe(field);
      expect(e?.allowed.length ?? 0, `parseEngineOptions(${JSON.stringify(raw)}): says what is allowed`).toBeGreaterThan(0);
    }
    const json = errorOf(() => engineOptionsFromEnv({ [OPTIONS_VARIABLE]: '{claims' }));
    expect(json?.field, `malformed JSON: ${json?.message ?? 'no error'}`).toBe(OPTIONS_VARIABLE);
  });
});

describe('expectation bands of mixed regions', () => {
  it('should contain the recorded fraction and stay inside (0, 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 400 }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n))),
        ([k, n]) => {
          const band = bandOf(k, n);
          expect(inBand(k, n, band), `${k}/${n} outside its own band ${band.lo}–${band.hi}`).toBe(true);
          expect(band.lo > 0 && band.hi < 1 && band.lo <= band.hi, `band ${band.lo}–${band.hi} of ${k}/${n}`).toBe(true);
        },
      ),
    );
  });

  it('should be narrower than "anything from 1/25 to 24/25" for a recorded 4/25', () => {
    const band = bandOf(4, 25);
    expect(inBand(20, 25, band), `20/25 must leave the band ${band.lo}–${band.hi} recorded at 4/25`).toBe(false);
    expect(inBand(1, 25, band), `1/25 is within sampling noise of 4/25 (band ${band.lo}–${band.hi})`).toBe(true);
  });

  it('should match the Wilson interval on a textbook case (k = 0: upper bound near z²/(n + z²))', () => {
    const { lo, hi } = wilsonInterval(0, 100, 1.96);
    expect(lo, 'lower bound at k = 0').toBe(0);
    const tol = { atol: 0.001, rtol: 0 };
    expect(isClose(hi, 0.037, tol), describeMismatch('upper bound at k = 0', hi, 0.037, tol)).toBe(true);
  });

  it('should fail a mixed measurement outside the band, and refuse a mixed expectation without one', () => {
    const region = { id: 'r', expected: 'mixed' as const, band: bandOf(4, 25) };
    expect(matchesExpectation(region, 'mixed', 4, 25), 'recorded fraction').toBe(true);
    expect(matchesExpectation(region, 'mixed', 20, 25), '20/25 against a 4/25 band').toBe(false);
    expect(matchesExpectation(region, 'holds', 25, 25), 'another verdict').toBe(false);
    expect(() => matchesExpectation({ id: 'r', expected: 'mixed' }, 'mixed', 4, 25), 'mixed without a band').toThrow(/band/);
    expect(matchesExpectation({ id: 'h', expected: 'holds' }, 'holds', 25, 25), 'holds needs no band').toBe(true);
  });
});
