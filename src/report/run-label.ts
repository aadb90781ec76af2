import { DEFAULT_FC_SEED } from '../engine/options.js';
import { runContext, runLine } from './run-context.js';

/**
 * What ran, in words, for a report's title (and the verdict site and CLAIMS.md): a reader of a
 * published page must see whether it shows every claim or a selection, with which seeds and
 * which training plan. Pure: it phrases what run.json recorded and reads nothing.
 */

/** The title every report starts with; {@link reportTitle} adds what ran. */
export const REPORT_TITLE = "Vanishing gradients: verdicts on the document's claims";

/** A run's kind as run.json records it: a full run (every claim, full training plan) publishes. */
export type RunKindName = 'full' | 'partial';

/** The selection and settings of a `vg verify` run, as run.json's `options` records them (src/cli/verify.ts `runOptions`). Every field may be absent in an older file. */
export interface RunSelection {
  /** `--claim`: the claim ids selected; empty for all. */
  readonly claims?: readonly string[];
  /** `--section`: the document sections selected; empty for all. */
  readonly sections?: readonly string[];
  /** `--verdict`: only claims expected to have these verdicts; empty for all. */
  readonly verdicts?: readonly string[];
  /** `--backend`, or null for the default. */
  readonly backend?: string | null;
  /** `--seed`, or null for the default ({@link DEFAULT_FC_SEED}). */
  readonly seed?: number | null;
  /** `--seeds`: a seed sweep, the first seed published; empty when none. */
  readonly seeds?: readonly number[];
  /** `--runs`: cases per gradient region, or null for each region's own. */
  readonly runs?: number | null;
  /** `--shard i/N`, or null. */
  readonly shard?: string | null;
  /** `--training`: the training plan, `full` or `reduced`. */
  readonly training?: string;
  /** `--config`: the file of pinned model settings, or null. */
  readonly config?: string | null;
  /** `--record`: training regions without an expectation recorded as measured. */
  readonly record?: boolean;
}

const list = (xs: readonly unknown[] | undefined): string => (xs ?? []).map(String).join(', ');

/**
 * A run in words from run.json's record of it, worded as CLAIMS.md and the site word it
 * (report/run-context.ts runLine): e.g. `Full run: every claim; full training plan, seeds 424242, 1, 2, no pins, backend wasm`.
 */
export function describeRun(kind: RunKindName, o: RunSelection): string {
  const options = {
    claims: o.claims ?? [],
    sections: o.sections ?? [],
    verdicts: o.verdicts ?? [],
    shard: o.shard ?? undefined,
    training: o.training ?? 'full',
    seed: o.seed ?? undefined,
    seeds: o.seeds ?? [],
    runs: o.runs ?? undefined,
    backend: o.backend ?? undefined,
    record: o.record ?? false,
  };
  const config = o.config ? { file: o.config.split(/[\\/]/).pop() ?? o.config, fields: [] } : null;
  // Where the run was written does not enter its line.
  return runLine(runContext(kind, options, o.seeds?.[0] ?? o.seed ?? DEFAULT_FC_SEED, config, 'repository'), o.backend ? [o.backend] : []);
}

/** What a report can read from results that no run.json describes (CI shards merged, a test run's results). */
export interface ResultsContent {
  /** Results directories merged. */
  readonly runs: number;
  readonly regions: number;
  readonly claims: number;
  readonly sections: number;
  /** The backends the regions ran on, as their results name them. */
  readonly backends: readonly string[];
}

/** E.g. `merged results of 2 runs: 40 regions of 12 claims in 3 sections, backend wasm`; one directory reads `results of 1 run: …`. */
export function describeResults(c: ResultsContent): string {
  const backends = c.backends.length > 0 ? `, backend${c.backends.length > 1 ? 's' : ''} ${list(c.backends)}` : '';
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    `${c.runs > 1 ? 'merged results' : 'results'} of ${plural(c.runs, 'run')}: ` +
    `${plural(c.regions, 'region')} of ${plural(c.claims, 'claim')} in ` +
    `${plural(c.sections, 'section')}${backends}`
  );
}

/** The report's title: {@link REPORT_TITLE} — what ran. */
export function reportTitle(whatRan: string): string {
  return `${REPORT_TITLE} — ${whatRan}`;
}
