/**
 * What run wrote a summary (issue 23): a partial run's CLAIMS.md must not read as the published
 * one, and one written in a user's project must not point into this repository. The summary
 * carries the run's selection and settings as data (claims.json's `run`); this module words them,
 * once. Pure: the caller (cli/verify.ts) reads the options and the file system.
 */

/** Where a summary was written: this repository's checkout, or a project that installed the package. */
export type RunPlace = 'repository' | 'project';

/** The run a summary comes from (claims.json `run`). */
export interface RunContext {
  /** full: every claim, the full training plan, nothing narrowed (it publishes); partial otherwise. */
  readonly kind: 'full' | 'partial';
  /** `--claim` ids, `--section` names and `--verdict` filters (empty: not filtered by it). */
  readonly claims: readonly string[];
  readonly sections: readonly string[];
  readonly verdicts: readonly string[];
  /** `--shard i/N`, or null. */
  readonly shard: string | null;
  /** `--training`: the training plan (full or reduced). */
  readonly training: string;
  /** The fast-check seed the gradient claims ran with, and a sweep's seeds (empty without `--seeds`). */
  readonly seed: number;
  readonly seeds: readonly number[];
  /** `--seed` as given (null: the default seed). */
  readonly seedFlag: number | null;
  /** `--config`: the pinned-fields file as the command line named it (relative to where it ran), and the fields it pins; null without it. */
  readonly config: { readonly file: string; readonly fields: readonly string[] } | null;
  /** `--runs`: cases per gradient region, or null for each region's own. */
  readonly runs: number | null;
  /** `--backend` as given, or null (the default one). */
  readonly backend: string | null;
  /** `--record`: regions without a stated expectation were run to be recorded. */
  readonly record: boolean;
  readonly place: RunPlace;
}

/** `npm run verify` (package.json): the seeds and backend of the published summary. */
export const NPM_VERIFY = { seeds: [424242, 1, 2], backend: 'wasm' } as const;
/** The installed package's claim files, from a user's project. */
export const INSTALLED_SECTIONS = 'node_modules/vanishing-gradients-verify/dist/src/claims/sections/';
/** This repository's claim files. */
export const REPOSITORY_SECTIONS = 'src/claims/sections/';

/** The run's options as `vg verify` validated them (cli/options.ts VerifyOptions, the fields a summary reports). */
export interface RunContextOptions {
  readonly claims: readonly string[];
  readonly sections: readonly string[];
  readonly verdicts: readonly string[];
  readonly shard?: string;
  readonly training: string;
  readonly seed?: number;
  readonly seeds: readonly number[];
  readonly runs?: number;
  readonly backend?: string;
  readonly record: boolean;
}

/** A RunContext from a run's options, the seed it ran with, its pins and where it was written. */
export function runContext(kind: RunContext['kind'], o: RunContextOptions, seed: number, config: RunContext['config'], place: RunPlace): RunContext {
  return {
    kind,
    claims: [...o.claims],
    sections: [...o.sections],
    verdicts: [...o.verdicts],
    shard: o.shard ?? null,
    training: o.training,
    seed,
    seeds: [...o.seeds],
    seedFlag: o.seed ?? null,
    config,
    runs: o.runs ?? null,
    backend: o.backend ?? null,
    record: o.record,
    place,
  };
}

/** Whether `npm run verify` wrote it: a full run in this repository with that script's seeds and backend. */
export function byNpmRunVerify(r: RunContext): boolean {
  return r.kind === 'full' && r.place === 'repository' && r.backend === NPM_VERIFY.backend && r.seeds.join(',') === NPM_VERIFY.seeds.join(',');
}

const listed = (label: string, items: readonly string[]): string => `${label}${items.length > 1 ? 's' : ''} ${items.join(', ')}`;

/** The run's selection in words: `claim VG-GATED-LEARNS`, `sections Consequences, Summary; shard 1/2`, or `every claim`. */
export function runSelection(r: RunContext): string {
  const parts = [
    r.claims.length ? listed('claim', r.claims) : '',
    r.sections.length ? listed('section', r.sections) : '',
    r.verdicts.length ? `claims expected to be ${r.verdicts.join(' or ')}` : '',
    r.shard ? `shard ${r.shard}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'every claim';
}

/** The settings that change what was measured: training plan, seeds, pins, cases per region, backend. */
export function runSettings(r: RunContext, backends: readonly string[]): string {
  return [
    `${r.training} training plan`,
    r.seeds.length > 1 ? `seeds ${r.seeds.join(', ')}` : `seed ${r.seed}`,
    r.config
      ? r.config.fields.length
        ? `pinned ${r.config.fields.join(', ')} (--config ${r.config.file})`
        : `pinned by --config ${r.config.file}`
      : 'no pins',
    ...(r.runs !== null ? [`${r.runs} cases per gradient region`] : []),
    `backend ${backends.join(', ') || r.backend || 'default'}`,
    ...(r.record ? ['recording regions without an expectation'] : []),
  ].join(', ');
}

/** A run in one line, for a page's first line or a report's title: `Full run: every claim; full training plan, seeds 424242, 1, 2, no pins, backend wasm`. */
export function runLine(r: RunContext, backends: readonly string[] = []): string {
  return `${r.kind === 'full' ? 'Full run' : 'Partial run'}: ${runSelection(r)}; ${runSettings(r, backends)}`;
}

/** A value as a shell word: bare when safe, else single-quoted. */
const word = (v: string): string => (/^[\w./,:@=+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

/** The `vg verify …` command that reproduces the run (flags in `vg verify --help`'s order). */
export function reproduceCommand(r: RunContext): string {
  const flags = [
    ...r.claims.map((c) => `--claim ${word(c)}`),
    ...r.sections.map((s) => `--section ${word(s)}`),
    ...r.verdicts.map((v) => `--verdict ${word(v)}`),
    ...(r.backend ? [`--backend ${word(r.backend)}`] : []),
    ...(r.seeds.length > 1 ? [`--seeds ${r.seeds.join(',')}`] : r.seedFlag !== null ? [`--seed ${r.seedFlag}`] : []),
    ...(r.runs !== null ? [`--runs ${r.runs}`] : []),
    ...(r.shard ? [`--shard ${r.shard}`] : []),
    ...(r.training !== 'full' ? [`--training ${word(r.training)}`] : []),
    ...(r.config ? [`--config ${word(r.config.file)}`] : []),
    ...(r.record ? ['--record'] : []),
  ];
  return ['vg verify', ...flags].join(' ');
}

/** Where a reader finds the claim files: this repository's sources, or the installed package's. */
export function sectionsPath(r: Pick<RunContext, 'place'> | undefined): string {
  return r?.place === 'project' ? INSTALLED_SECTIONS : REPOSITORY_SECTIONS;
}

/**
 * The sentence that opens CLAIMS.md: who wrote it, on which selection and settings. A summary
 * with no `run` predates run contexts; only `npm run verify` published those.
 */
export function writtenBy(r: RunContext | undefined, backends: readonly string[], seed: number, seeds?: readonly number[]): string {
  if (!r)
    return (
      `Written by \`npm run verify\` ` +
      `(${seeds && seeds.length > 1 ? `seeds ${seeds.join(', ')}` : `seed ${seed}`}, backend ` +
      `${backends.join(', ') || 'none'}).`
    );
  if (byNpmRunVerify(r)) return `Written by \`npm run verify\` (${runSelection(r)}; ${runSettings(r, backends)}).`;
  const what = r.kind === 'full' ? 'A full run' : `A partial run, not the published verdicts: ${runSelection(r)}`;
  return (
    `${what} (${runSettings(r, backends)}), written by ` +
    `\`${reproduceCommand(r)}\`${r.place === 'project' ? ' in a project that installed vanishing-gradients-verify' : ''}.`
  );
}
