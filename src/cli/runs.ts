import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeAtomic } from '../report/atomic.js';
import type { OutputDirs } from './paths.js';

/**
 * Each `vg verify` run writes into a directory of its own, `<out>/runs/<id>/` (Allure results,
 * region records, a sweep's seeds, its summary and its HTML report), so no run can delete or
 * overwrite another's: a filtered run never touches a full run's evidence or report. An index,
 * `<out>/latest.json`, names the newest finished run and the newest full one; `vg report` shows
 * the run it names. A run is listed there only once it has finished and measured something, so an
 * interrupted or empty run never becomes what a report shows.
 */

/** The folder of run directories under the output root. */
export const RUNS_DIR = 'runs';
/** The index of runs under the output root. */
export const INDEX_FILE = 'latest.json';
/** What a run directory says about its run. */
export const RUN_FILE = 'run.json';

/** A full run (every claim, full training plan, no shard, no --runs, --config or --record) publishes; any other is partial. */
export type RunKind = 'full' | 'partial';

/** run.json: what a run was asked to do, and how it ended. */
export interface RunMeta {
  /** The directory's name under runs/: the start time (UTC) and the kind, e.g. 20250107T120301Z-partial. */
  readonly id: string;
  readonly kind: RunKind;
  /** The selection and settings, as `vg verify` parsed them (for a reader; nothing decides on it). */
  readonly options: Readonly<Record<string, unknown>>;
  /** ISO time the run started. */
  readonly started: string;
  /** ISO time it finished, or null while it runs (or if it was interrupted). */
  readonly finished: string | null;
  /** `vg verify`'s exit status (0 every verdict matched, 1 one did not), null until finished. */
  readonly status: number | null;
  /** Regions measured (region records written), null until finished. */
  readonly regions: number | null;
  /** The evidence directories whose key numbers the run's report tracks, relative to the run directory. */
  readonly evidence: readonly string[];
}

/** latest.json. */
export interface RunIndex {
  /** The newest finished run that measured at least one region: the run `vg report` shows. */
  readonly latest: string | null;
  /** The newest such run that was full. */
  readonly latestFull: string | null;
  /** Every finished run, oldest first. */
  readonly runs: ReadonlyArray<Pick<RunMeta, 'id' | 'kind' | 'started' | 'finished' | 'status' | 'regions'>>;
}

/** The paths of one run. */
export interface RunDirs {
  readonly id: string;
  readonly dir: string;
  readonly allureResults: string;
  readonly allureReport: string;
  readonly evidence: string;
  /** A seed sweep's per-seed records and results. */
  readonly seeds: string;
  readonly meta: string;
}

/** The paths of run `id` under an output root. */
export function runDirs(root: string, id: string): RunDirs {
  const dir = join(root, RUNS_DIR, id);
  return {
    id,
    dir,
    allureResults: join(dir, 'allure-results'),
    allureReport: join(dir, 'allure-report'),
    evidence: join(dir, 'evidence'),
    seeds: join(dir, 'seeds'),
    meta: join(dir, RUN_FILE),
  };
}

/** The paths of a run directory given by its path (`<root>/runs/<id>`). */
export function runDirsAt(dir: string): RunDirs {
  const abs = resolve(dir);
  return runDirs(resolve(abs, '..', '..'), relative(resolve(abs, '..'), abs));
}

/** 2025-01-07T12:03:01.123Z → 20250107T120301Z. */
const stamp = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/**
 * Creates a new run directory (its name taken atomically: mkdir fails if another run took it, and
 * the next suffix is tried) with a run.json that says it has not finished.
 */
export function startRun(dirs: OutputDirs, kind: RunKind, options: Readonly<Record<string, unknown>>, now = new Date()): RunDirs {
  mkdirSync(join(dirs.root, RUNS_DIR), { recursive: true });
  for (let n = 1; ; n++) {
    const id = `${stamp(now)}-${kind}${n === 1 ? '' : `-${n}`}`;
    const run = runDirs(dirs.root, id);
    try {
      mkdirSync(run.dir);
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') continue;
      throw e;
    }
    const meta: RunMeta = { id, kind, options, started: now.toISOString(), finished: null, status: null, regions: null, evidence: ['evidence'] };
    writeAtomic(run.meta, `${JSON.stringify(meta, null, 2)}\n`);
    return run;
  }
}

/** A run's run.json, or null when the directory holds none (or an unreadable one). */
export function readRun(dir: string): RunMeta | null {
  try {
    return JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8')) as RunMeta;
  } catch {
    return null;
  }
}

/** An output root's latest.json, or null when it has none. */
export function readIndex(root: string): RunIndex | null {
  const file = join(root, INDEX_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunIndex;
  } catch {
    return null;
  }
}

/**
 * Marks a run finished. When it measured at least one region it becomes the index's latest (and
 * latestFull, for a full run); one that measured nothing is recorded in its run.json only.
 */
export function finishRun(
  dirs: OutputDirs,
  run: RunDirs,
  result: { readonly status: number; readonly regions: number; readonly evidence?: readonly string[] },
  now = new Date(),
): RunMeta {
  const before = readRun(run.dir);
  if (before === null) throw new Error(`vg: ${run.meta} is missing: the run directory was removed while it ran`);
  const meta: RunMeta = {
    ...before,
    finished: now.toISOString(),
    status: result.status,
    regions: result.regions,
    evidence: (result.evidence ?? [run.evidence]).map((d) => relative(run.dir, d)),
  };
  writeAtomic(run.meta, `${JSON.stringify(meta, null, 2)}\n`);
  if (result.regions > 0) {
    const index = readIndex(dirs.root) ?? { latest: null, latestFull: null, runs: [] };
    const entry = { id: meta.id, kind: meta.kind, started: meta.started, finished: meta.finished, status: meta.status, regions: meta.regions };
    const next: RunIndex = {
      latest: meta.id,
      latestFull: meta.kind === 'full' ? meta.id : index.latestFull,
      runs: [...index.runs.filter((r) => r.id !== meta.id), entry],
    };
    writeAtomic(join(dirs.root, INDEX_FILE), `${JSON.stringify(next, null, 2)}\n`);
  }
  return meta;
}

/** The output root's history file; a 0.1 history (history/history.jsonl) is carried over the first time, so the trend goes on. */
export function historyOf(dirs: OutputDirs): string {
  if (!existsSync(dirs.history) && existsSync(dirs.legacyHistory)) {
    mkdirSync(dirs.root, { recursive: true });
    writeAtomic(dirs.history, readFileSync(dirs.legacyHistory, 'utf8'));
  }
  return dirs.history;
}
