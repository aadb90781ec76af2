import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/errors.js';

/**
 * Where things are. The package's own files (the packaged claim suite) are found from this
 * module's location; everything `vg` writes goes under the current directory (`./reports`) or
 * `--out DIR`, never into the package and never into node_modules.
 */

function packageRootOf(dir: string): string {
  // src/cli in a checkout, dist/src/cli when built or installed: the nearest package.json above.
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) throw new Error(`vg: no package.json above ${dir}`);
  }
}

/** This package's root: a checkout, or node_modules/vanishing-gradients-verify when installed. */
export const PACKAGE_ROOT = packageRootOf(dirname(fileURLToPath(import.meta.url)));
/** @deprecated The checkout's root, for the repository's own tests and scripts; the CLI uses {@link PACKAGE_ROOT} and {@link outputDirs}. */
export const ROOT = PACKAGE_ROOT;
/** Whether this code runs from its TypeScript sources (a checkout, through tsx or vitest) rather than from dist/. */
export const FROM_SOURCES = import.meta.url.endsWith('.ts');
/** Whether this package sits inside a node_modules folder (installed as a dependency). */
export const INSTALLED = PACKAGE_ROOT.split(sep).includes('node_modules');

/**
 * The output root of `vg` (`./reports` or `--out DIR`) and what sits directly in it. Each
 * `vg verify` run writes into a directory of its own under `runs/` (see runs.ts for its paths).
 */
export interface OutputDirs {
  /** `./reports` under the current directory, or `--out DIR`. */
  readonly root: string;
  /** The run directories, one per `vg verify` (runs.ts). */
  readonly runs: string;
  /** latest.json: which run is the newest finished one, and the newest full one. */
  readonly index: string;
  /** Allure's history, one file per output root (vg verify and vg report both write it), kept to HISTORY_LIMIT runs. */
  readonly history: string;
  /** Where 0.1 kept the history (`history/history.jsonl`); read once to carry a trend over. */
  readonly legacyHistory: string;
  /** The latest filtered, sharded or reduced run's summary (never the published one). */
  readonly partial: string;
}

/** The default output directory, relative to the current directory. */
export const DEFAULT_OUT = 'reports';

/**
 * Refuses an output path inside node_modules: an installed package is not a place for reports,
 * and a reinstall would delete them.
 */
export function outsideNodeModules(flag: string, raw: string, path = resolve(raw)): string {
  if (path.split(sep).includes('node_modules'))
    throw new ConfigError(flag, raw, "a path outside node_modules (run vg from your project's directory, or pass --out)");
  return path;
}

/** The output directories under `out` (default `./reports`), resolved against the current directory. */
export function outputDirs(out: string = DEFAULT_OUT): OutputDirs {
  const root = outsideNodeModules('--out', out);
  return {
    root,
    runs: join(root, 'runs'),
    index: join(root, 'latest.json'),
    history: join(root, 'history.jsonl'),
    legacyHistory: join(root, 'history', 'history.jsonl'),
    partial: join(root, 'partial'),
  };
}

/** The checkout's default outputs, as `npm test` and `npm run verify` write them (the repository's own tests read them). */
export const REPORTS = join(PACKAGE_ROOT, 'reports');
export const ALLURE_RESULTS = join(REPORTS, 'allure-results');
export const ALLURE_REPORT = join(REPORTS, 'allure-report');
export const EVIDENCE = join(REPORTS, 'evidence');
/** A dev tool's binary in the checkout's node_modules (the repository's own tests; the CLI resolves its peers instead). */
export const bin = (name: string): string => join(PACKAGE_ROOT, 'node_modules', '.bin', name);
