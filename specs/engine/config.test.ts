import fc from 'fast-check';
import { CONFIG_FUZZ_RUNS } from '../figures.js';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { DEMO_CONFIG } from '../../src/config/types.js';
import { parseModelConfig, validateModelConfig } from '../../src/config/validate.js';

describe('config validation', () => {
  it('should accept the demo configuration unchanged', () => {
    const validated = validateModelConfig(DEMO_CONFIG);
    expect(validated, `validated ${JSON.stringify(validated)} against the demo ${JSON.stringify(DEMO_CONFIG)}`).toEqual(DEMO_CONFIG);
  });

  it.each([
    [{ hiddenSize: 0 }, 'hiddenSize', 'an integer from 1 to'],
    [{ hiddenSize: 2.5 }, 'hiddenSize', 'an integer'],
    [{ seqLength: -3 }, 'seqLength', 'an integer from 1'],
    [{ inputStd: Number.NaN }, 'inputStd', 'finite'],
    [{ activation: 'gelu' }, 'activation', '"tanh"'],
    [{ recurrentInit: { kind: 'orthogonal', gain: Infinity } }, 'recurrentInit.gain', 'finite'],
    [{ recurrentInit: { kind: 'he' } }, 'recurrentInit.kind', '"orthogonal"'],
    [{ inputInit: { kind: 'uniform', low: 1, high: 0 } }, 'inputInit.high', 'greater than low'],
    [{ inputInit: { kind: 'identity', scale: 1 }, inputSize: 3 }, 'inputInit.kind', 'equals hiddenSize'],
    [{ hiddenSize: 1024, inputSize: 16, architecture: 'lstm', seqLength: 100 }, 'hiddenSize', 'fit in'],
    [{ hiddenSize: 16, inputSize: 100, seqLength: 5000 }, 'seqLength', 'fit in'],
  ])('should reject %j naming the field %s', (patch, field, allowed) => {
    let thrown: unknown = null;
    try {
      validateModelConfig({ ...DEMO_CONFIG, ...patch });
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof ConfigError, `${JSON.stringify(patch)} threw ${String(thrown)}, a ConfigError expected`).toBe(true);
    const e = thrown as ConfigError;
    expect(e.field, `error field "${e.field}" against "${field}"`).toBe(field);
    expect(e.message, `message "${e.message}" names "${field}"`).toContain(field);
    expect(e.allowed, `allowed "${e.allowed}" says "${allowed}"`).toContain(allowed);
  });

  it('should reject unknown keys in a config file', () => {
    const unknownKey = /hiddenSzie: .*no such field/;
    expect(() => parseModelConfig({ hiddenSzie: 3 }, DEMO_CONFIG), `{ hiddenSzie: 3 } should throw a message matching ${unknownKey}`).toThrow(unknownKey);
  });

  it('should throw nothing but ConfigError for any input (fuzzed)', () => {
    const field = fc.oneof(fc.anything(), fc.double(), fc.integer({ min: -5, max: 5000 }), fc.constantFrom('tanh', 'lstm', 'orthogonal', 'uniform'));
    const init = fc.oneof(
      fc.anything(),
      fc.record(
        {
          kind: fc.constantFrom('uniform', 'normal', 'orthogonal', 'identity', 'zeros', 'nope'),
          low: field,
          high: field,
          std: field,
          gain: field,
          scale: field,
        },
        { requiredKeys: ['kind'] },
      ),
    );
    const keys = ['architecture', 'activation', 'inputSize', 'hiddenSize', 'seqLength', 'forgetBias', 'recurrentActivation', 'inputStd', 'seed'] as const;
    const patch = fc.record({ ...Object.fromEntries(keys.map((k) => [k, field])), recurrentInit: init, inputInit: init, biasInit: init }, { requiredKeys: [] });
    fc.assert(
      fc.property(
        fc.oneof(
          patch.map((p) => ({ ...DEMO_CONFIG, ...p })),
          fc.anything(),
        ),
        (value) => {
          try {
            const config = validateModelConfig(value);
            expect(Number.isInteger(config.hiddenSize), `accepted ${JSON.stringify(config)} with hiddenSize ${config.hiddenSize}, an integer expected`).toBe(
              true,
            );
          } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
            expect(error.message.length, `ConfigError for field "${error.field}" has message "${error.message}"`).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: CONFIG_FUZZ_RUNS },
    );
  });
});
