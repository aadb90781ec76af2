import { ConfigError } from './errors.js';
import {
  ACTIVATIONS,
  ARCHITECTURES,
  FORGET_BIASES,
  INIT_KINDS,
  MAX_HIDDEN_SIZE,
  MAX_INPUT_SIZE,
  MAX_SEQ_LENGTH,
  MIN_PROFILE_STEPS,
  RECURRENT_ACTIVATIONS,
  type InitScheme,
  type ModelConfig,
} from './types.js';

const MAX_SCALE = 1e6;
/**
 * The largest tensor a probe builds must stay under this many floats (400 MB in float32):
 * the Jacobian probe holds T·S·S values, the batched demo T·T·D, the weights G·H·(H+D).
 */
export const MAX_PROBE_FLOATS = 1e8;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(field, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

function finiteIn(field: string, value: unknown, min: number, max: number, exclusiveMin = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && value <= max && (exclusiveMin ? value > min : value >= min);
  if (!ok) throw new ConfigError(field, value, `a finite number ${exclusiveMin ? '>' : '>='} ${min} and <= ${max}`);
  return value as number;
}

/**
 * The sequence lengths a temporal gradient profile takes, the same for `vg profile` (seqLength)
 * and gradientProfile (the input's T): MIN_PROFILE_STEPS to MAX_SEQ_LENGTH.
 */
export function profileSteps(field: string, value: unknown, shown: unknown = value): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_PROFILE_STEPS || value > MAX_SEQ_LENGTH) {
    throw new ConfigError(
      field,
      shown,
      `a sequence of ${MIN_PROFILE_STEPS} to ${MAX_SEQ_LENGTH} steps (a profile needs a distance to measure ` +
        `over; vg profile and gradientProfile take the same range)`,
    );
  }
  return value;
}

/** Validates an initialiser description; throws ConfigError naming `field.*`. */
export function validateInit(field: string, value: unknown): InitScheme {
  if (!isRecord(value)) throw new ConfigError(field, value, `an object with a "kind" of ${INIT_KINDS.join(', ')}`);
  const kind = oneOf(`${field}.kind`, value.kind, INIT_KINDS);
  switch (kind) {
    case 'uniform': {
      const low = finiteIn(`${field}.low`, value.low, -MAX_SCALE, MAX_SCALE);
      const high = finiteIn(`${field}.high`, value.high, -MAX_SCALE, MAX_SCALE);
      if (!(high > low)) throw new ConfigError(`${field}.high`, value.high, `a number greater than low (${low})`);
      return { kind, low, high };
    }
    case 'normal':
      return { kind, std: finiteIn(`${field}.std`, value.std, 0, MAX_SCALE) };
    case 'orthogonal':
      return { kind, gain: finiteIn(`${field}.gain`, value.gain, -MAX_SCALE, MAX_SCALE) };
    case 'identity':
      return { kind, scale: finiteIn(`${field}.scale`, value.scale, -MAX_SCALE, MAX_SCALE) };
    default:
      return { kind };
  }
}

/**
 * Validates a whole model configuration before any tensor exists. Accepts `unknown`
 * (parsed JSON, fuzzed objects) and either returns a well-typed config or throws a
 * ConfigError; no other exception type escapes.
 */
export function validateModelConfig(value: unknown): ModelConfig {
  if (!isRecord(value)) throw new ConfigError('config', value, 'an object');
  const architecture = oneOf('architecture', value.architecture, ARCHITECTURES);
  const activation = oneOf('activation', value.activation, ACTIVATIONS);
  const inputSize = integerIn('inputSize', value.inputSize, 1, MAX_INPUT_SIZE);
  const hiddenSize = integerIn('hiddenSize', value.hiddenSize, 1, MAX_HIDDEN_SIZE);
  const seqLength = integerIn('seqLength', value.seqLength, 1, MAX_SEQ_LENGTH);
  const recurrentInit = validateInit('recurrentInit', value.recurrentInit);
  const inputInit = validateInit('inputInit', value.inputInit);
  const biasInit = validateInit('biasInit', value.biasInit);
  if (inputInit.kind === 'identity' && inputSize !== hiddenSize) {
    throw new ConfigError('inputInit.kind', 'identity', `an identity input init only when inputSize (${inputSize}) equals hiddenSize (${hiddenSize})`);
  }
  if (biasInit.kind === 'orthogonal' || biasInit.kind === 'identity' || biasInit.kind === 'glorotUniform') {
    throw new ConfigError('biasInit.kind', biasInit.kind, 'a vector initialiser: uniform, normal, pytorchDefault or zeros');
  }
  const forgetBias = oneOf('forgetBias', value.forgetBias, FORGET_BIASES);
  const recurrentActivation = oneOf('recurrentActivation', value.recurrentActivation, RECURRENT_ACTIVATIONS);
  const inputStd = finiteIn('inputStd', value.inputStd, 0, MAX_SCALE);
  const seed = integerIn('seed', value.seed, 0, 2 ** 32 - 1);
  const gates = architecture === 'lstm' ? 4 : architecture === 'gru' ? 3 : 1;
  const S = architecture === 'lstm' ? 2 * hiddenSize : hiddenSize;
  const bySize = Math.max(gates * hiddenSize * (hiddenSize + inputSize) + hiddenSize * inputSize, seqLength * S * S);
  const byLength = seqLength * seqLength * inputSize;
  if (Math.max(bySize, byLength) > MAX_PROBE_FLOATS) {
    const [field, value] = byLength > bySize ? ['seqLength', seqLength] : ['hiddenSize', hiddenSize];
    throw new ConfigError(field, value, `sizes whose probes fit in ${MAX_PROBE_FLOATS} floats (this config needs ${Math.max(bySize, byLength)})`);
  }
  return {
    architecture,
    activation,
    inputSize,
    hiddenSize,
    seqLength,
    recurrentInit,
    inputInit,
    biasInit,
    forgetBias,
    recurrentActivation,
    inputStd,
    seed,
  };
}

const KNOWN_KEYS = new Set([
  'architecture',
  'activation',
  'inputSize',
  'hiddenSize',
  'seqLength',
  'recurrentInit',
  'inputInit',
  'biasInit',
  'forgetBias',
  'recurrentActivation',
  'inputStd',
  'seed',
]);

/** Like validateModelConfig, but on top of defaults, and rejecting unknown keys (typos in JSON files). */
export function parseModelConfig(value: unknown, defaults: ModelConfig): ModelConfig {
  if (!isRecord(value)) throw new ConfigError('config', value, 'a JSON object');
  for (const key of Object.keys(value)) {
    if (!KNOWN_KEYS.has(key)) throw new ConfigError(key, value[key], `no such field; known fields: ${[...KNOWN_KEYS].join(', ')}`);
  }
  return validateModelConfig({ ...defaults, ...value });
}
