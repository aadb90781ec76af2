import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { DEFAULT_TRAINING, JOBS_RANGE, RUNS_RANGE, SEED_RANGE, VERDICTS } from './flags.js';
import { DEFAULT_OUT, outsideNodeModules } from './paths.js';
import { readPinnedFields } from '../config/file.js';
import { CLAIM_IDS } from '../claims/registry.js';
import { SECTIONS } from '../engine/types.js';
import { BACKEND_NAMES } from '../backend/resolve.js';
import { TRAINING_PROFILES, type TrainingProfile } from '../claims/training/plan.js';

/** The options of `verify`, validated. */
export interface VerifyOptions {
  readonly claims: readonly string[];
  readonly sections: readonly string[];
  readonly verdicts: readonly string[];
  readonly backend: string | undefined;
  readonly seed: number | undefined;
  /** `--seeds a,b,…`: a seed sweep (at least 2 distinct seeds; the first is the published one), or empty. */
  readonly seeds: readonly number[];
  readonly runs: number | undefined;
  readonly shard: string | undefined;
  /** Workers: vitest's spec processes and the training pool's threads (default one per core). */
  readonly jobs: number;
  readonly report: boolean;
  /** Which training runs decide the training claims (default full: the published experiment). */
  readonly training: TrainingProfile;
  /** A JSON file of ModelConfig fields to pin in every model region (validated here), or undefined. */
  readonly config: string | undefined;
  /** Where the run writes (default `reports`, under the current directory; never inside node_modules). */
  readonly out: string;
  /** `--record`: write the measured verdicts of training regions without an expectation, for review. */
  readonly record: boolean;
}

export { DEFAULT_TRAINING, JOBS_RANGE, RUNS_RANGE, SEED_RANGE, VERDICTS } from './flags.js';

function intFlag(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(name, raw, `an integer in [${min}, ${max}]`);
  return n;
}

function configFlag(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  const file = resolve(String(raw));
  const pinned = readPinnedFields(file);
  if (Object.keys(pinned).length === 0) throw new ConfigError('--config', String(raw), 'a JSON object setting at least one ModelConfig field');
  return file;
}

/** `--seeds 424242,1,2`: distinct integer seeds, at least 2. */
function seedsFlag(raw: unknown): number[] {
  if (raw === undefined) return [];
  const text = String(raw);
  const parts = text.split(',').map((s) => s.trim());
  const seeds = parts.map((p) => intFlag('--seeds', p, ...SEED_RANGE)!);
  if (seeds.length < 2 || new Set(seeds).size !== seeds.length)
    throw new ConfigError('--seeds', text, 'at least 2 distinct integer seeds separated by commas, e.g. 424242,1,2');
  return seeds;
}

function trainingFlag(raw: unknown): TrainingProfile {
  if (raw === undefined) return DEFAULT_TRAINING;
  const v = String(raw);
  if (!(TRAINING_PROFILES as readonly string[]).includes(v)) throw new ConfigError('--training', v, TRAINING_PROFILES.join(' | '));
  return v as TrainingProfile;
}

function outFlag(raw: unknown): string {
  const out = raw === undefined ? DEFAULT_OUT : String(raw);
  if (out.trim() === '') throw new ConfigError('--out', out, 'a directory path');
  outsideNodeModules(raw === undefined ? '--out (default ./reports)' : '--out', out);
  return out;
}

/** Validates raw `verify` flags; every problem is a ConfigError naming the flag. */
export function verifyOptions(raw: Record<string, string | boolean | string[] | undefined>): VerifyOptions {
  const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
  const claims = list(raw.claim);
  for (const id of claims)
    if (!CLAIM_IDS.includes(id)) throw new ConfigError('--claim', id, `one of the registered claim ids (${CLAIM_IDS.length}; \`vg verify --help\` lists them)`);
  const sections = list(raw.section);
  for (const s of sections)
    if (!(SECTIONS as readonly string[]).includes(s)) throw new ConfigError('--section', s, `one of ${SECTIONS.map((x) => JSON.stringify(x)).join(', ')}`);
  const verdicts = list(raw.verdict);
  for (const v of verdicts) if (!(VERDICTS as readonly string[]).includes(v)) throw new ConfigError('--verdict', v, VERDICTS.join(' | '));
  const backend = raw.backend === undefined ? undefined : String(raw.backend);
  if (backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(backend)) throw new ConfigError('--backend', backend, BACKEND_NAMES.join(' | '));
  const shard = raw.shard === undefined ? undefined : String(raw.shard);
  if (shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new ConfigError('--shard', shard, 'i/N with 1 ≤ i ≤ N, e.g. 1/2');
  }
  const seeds = seedsFlag(raw.seeds);
  if (seeds.length > 0 && raw.seed !== undefined) throw new ConfigError('--seeds', String(raw.seeds), 'either --seed or --seeds, not both');
  if (seeds.length > 0 && shard !== undefined)
    throw new ConfigError('--seeds', String(raw.seeds), 'a sweep without --shard (each seed runs every gradient claim)');
  return {
    claims,
    seeds,
    sections,
    verdicts,
    backend,
    seed: intFlag('--seed', raw.seed === undefined ? undefined : String(raw.seed), ...SEED_RANGE),
    runs: intFlag('--runs', raw.runs === undefined ? undefined : String(raw.runs), ...RUNS_RANGE),
    shard,
    jobs: intFlag('--jobs', raw.jobs === undefined ? undefined : String(raw.jobs), ...JOBS_RANGE) ?? availableParallelism(),
    report: raw['no-report'] !== true,
    training: trainingFlag(raw.training),
    config: configFlag(raw.config),
    out: outFlag(raw.out),
    record: raw.record === true,
  };
}
