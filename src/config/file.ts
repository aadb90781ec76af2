import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { DEMO_CONFIG, type ModelConfig } from './types.js';
import { parseModelConfig } from './validate.js';

/** Reads and validates a configuration file; every problem is a ConfigError naming the file or field. */
export function readConfigFile(file: string, field = '--config'): ModelConfig {
  if (!existsSync(file)) throw new ConfigError(field, file, 'an existing JSON file');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(field, file, `valid JSON (${(e as Error).message})`);
  }
  return parseModelConfig(raw, DEMO_CONFIG);
}

/**
 * The fields an object sets, validated as ModelConfig fields (the others are not pinned).
 * Validation runs on the whole configuration the fields make with the demo's, so a field
 * that is only valid with another (e.g. a forget bias on an LSTM) is checked in context.
 */
export function pinnedFields(raw: unknown, field = '--config'): Partial<ModelConfig> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(field, raw, 'a JSON object of ModelConfig fields');
  const config = parseModelConfig(raw, DEMO_CONFIG);
  return Object.fromEntries(Object.keys(raw).map((k) => [k, config[k as keyof ModelConfig]])) as Partial<ModelConfig>;
}

/** The fields a configuration file sets, validated (the others are not pinned). */
export function readPinnedFields(file: string): Partial<ModelConfig> {
  readConfigFile(file);
  return pinnedFields(JSON.parse(readFileSync(file, 'utf8')));
}
