import { ConfigError } from '../config/errors.js';
import { pinnedFields } from '../config/file.js';
import type { ModelConfig } from '../config/types.js';

/**
 * What a claim run is asked to do, typed and validated once. `vg verify` builds it from its
 * flags; the claim specs run in vitest's processes, so it reaches them as one JSON object in
 * {@link OPTIONS_VARIABLE}, validated again on arrival by {@link parseEngineOptions}. Nothing else
 * travels by environment except the documented user switches VG_BACKEND and VG_FC_SEED.
 */
export interface EngineOptions {
  /** Only these claim ids (empty: all). */
  readonly claims: readonly string[];
  /**
   * Only these regions, each named `CLAIM-ID [region-id]` as test titles and reports name them
   * (empty: every region of the selected claims). npm test's backend comparison uses it to re-run
   * only the regions whose measurement involved the tfjs backend (specs/report/reruns.test.ts).
   */
  readonly regions: readonly string[];
  /** Only these document sections (empty: all). */
  readonly sections: readonly string[];
  /** Only claims whose expected verdict is one of these (empty: all). */
  readonly verdicts: readonly string[];
  /** Sampled cases per region instead of each region's own count (training regions keep their seeds). */
  readonly runs: number | null;
  /** ModelConfig fields pinned in every model region (`--config FILE`); other claims are left out. */
  readonly pinned: Partial<ModelConfig> | null;
  /** Training worker threads (`--jobs`); null: one per core. */
  readonly jobs: number | null;
  /** Which training plan decides the training claims. */
  readonly training: 'reduced' | 'full';
  /** Only this shard's share of the training plan ("i/N"), or null for all of it. */
  readonly trainingShard: string | null;
  /** Where one JSON record per region goes; null: no records. */
  readonly evidenceDir: string | null;
  /**
   * Record mode (`vg verify --record`): a training region without a stated expectation is run
   * and its measured verdict written for review instead of failing. Off in every normal run.
   */
  readonly record: boolean;
}

/** The environment variable that carries a run's options to the spec processes, as JSON. */
export const OPTIONS_VARIABLE = 'VG_OPTIONS';

/** The fast-check seed of a run when VG_FC_SEED (`vg verify --seed`) does not set one: same seed, same report. */
export const DEFAULT_FC_SEED = 424242;

/** The options of a run nobody configured: `npm test`, or a user's plain `npx vitest`. */
export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  claims: [],
  regions: [],
  sections: [],
  verdicts: [],
  runs: null,
  pinned: null,
  jobs: null,
  training: 'reduced',
  trainingShard: null,
  evidenceDir: null,
  record: false,
};

const SHARD = /^(\d+)\/(\d+)$/;

/** Whether a string is a shard "i/N" with 1 ≤ i ≤ N. */
export function isShard(s: string): boolean {
  const m = SHARD.exec(s);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= Number(m[2]);
}

function strings(o: Record<string, unknown>, key: string): readonly string[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ConfigError(`${OPTIONS_VARIABLE}.${key}`, v, 'an array of strings');
  return v as string[];
}

function intOrNull(o: Record<string, unknown>, key: string, min: number, max: number): number | null {
  const v = o[key] ?? null;
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw new ConfigError(`${OPTIONS_VARIABLE}.${key}`, v, `null or an integer in [${min}, ${max}]`);
  return v;
}

/**
 * Validates options received as JSON (or built in code): every field is checked, unknown fields
 * are refused (a typo must not silently mean "all claims"), missing fields take their defaults.
 */
export function parseEngineOptions(raw: unknown): EngineOptions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(OPTIONS_VARIABLE, raw, 'a JSON object of engine options');
  const o = raw as Record<string, unknown>;
  const known = Object.keys(DEFAULT_ENGINE_OPTIONS);
  for (const key of Object.keys(o))
    if (!known.includes(key)) throw new ConfigError(`${OPTIONS_VARIABLE}.${key}`, o[key], `no such option; the options are ${known.join(', ')}`);
  const training = o.training ?? DEFAULT_ENGINE_OPTIONS.training;
  if (training !== 'reduced' && training !== 'full') throw new ConfigError(`${OPTIONS_VARIABLE}.training`, training, 'reduced | full');
  const shard = o.trainingShard ?? null;
  if (shard !== null && (typeof shard !== 'string' || !isShard(shard)))
    throw new ConfigError(`${OPTIONS_VARIABLE}.trainingShard`, shard, 'null or i/N with 1 ≤ i ≤ N');
  const evidenceDir = o.evidenceDir ?? null;
  if (evidenceDir !== null && (typeof evidenceDir !== 'string' || evidenceDir === ''))
    throw new ConfigError(`${OPTIONS_VARIABLE}.evidenceDir`, evidenceDir, 'null or a directory path');
  const record = o.record ?? false;
  if (typeof record !== 'boolean') throw new ConfigError(`${OPTIONS_VARIABLE}.record`, record, 'true | false');
  return {
    claims: strings(o, 'claims'),
    regions: strings(o, 'regions'),
    sections: strings(o, 'sections'),
    verdicts: strings(o, 'verdicts'),
    runs: intOrNull(o, 'runs', 1, 10_000),
    pinned: o.pinned === undefined || o.pinned === null ? null : pinnedFields(o.pinned, `${OPTIONS_VARIABLE}.pinned`),
    jobs: intOrNull(o, 'jobs', 1, 256),
    training,
    trainingShard: shard as string | null,
    evidenceDir: evidenceDir as string | null,
    record,
  };
}

/** The options as the environment variable's value. */
export function serialiseEngineOptions(o: EngineOptions): string {
  return JSON.stringify(o);
}

/** The options this process was started with: {@link OPTIONS_VARIABLE} if set, the defaults otherwise. */
export function engineOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineOptions {
  const raw = env[OPTIONS_VARIABLE];
  if (raw === undefined || raw === '') return DEFAULT_ENGINE_OPTIONS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new ConfigError(OPTIONS_VARIABLE, raw, `a JSON object (${(e as Error).message})`);
  }
  return parseEngineOptions(parsed);
}
