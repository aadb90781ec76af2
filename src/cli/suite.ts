import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FROM_SOURCES, PACKAGE_ROOT } from './paths.js';
import type { InstalledPeer } from './peers.js';

/**
 * The claim suite `vg verify` runs: this package's own specs/claims, the same files in a
 * checkout (TypeScript) and in the installed package (compiled into dist/specs). It runs in a
 * child process through vitest's Node API with an inline configuration, so no config file is
 * looked up or bundled, and vitest's cache goes to a temporary directory, not into node_modules.
 */

/** Workers vitest runs the claim specs in (the repository's vitest.config.ts uses the same). */
export const DEFAULT_MAX_WORKERS = 2;
/** Per-test and per-hook timeouts, as in vitest.config.ts (the training spec sets its own). */
export const TEST_TIMEOUT_MS = 120_000;
export const HOOK_TIMEOUT_MS = 60_000;

/** What the child process needs: everything resolved to absolute paths by the parent. */
export interface SuiteRunnerOptions {
  /** vitest's Node API entry (`vitest/node`), resolved from the installed peer. */
  readonly vitestNode: string;
  /** allure-vitest's reporter entry, resolved from the installed peer. */
  readonly allureReporter: string;
  readonly root: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly setupFiles: readonly string[];
  readonly resultsDir: string;
  readonly cacheDir: string;
  readonly shard: string | undefined;
  readonly maxWorkers: number;
}

/** Which claim specs a run takes: all, only the training spec, or all but it (a sharded verify runs the two apart). */
export type SuitePart = 'all' | 'training' | 'gradients';

/** Where the claim specs are: sources in a checkout, compiled files in dist/ otherwise. */
export function claimSuiteFiles(part: SuitePart = 'all'): {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly setupFiles: readonly string[];
} {
  const [dir, ext, setupFiles] = FROM_SOURCES
    ? (['specs/claims', 'ts', [join(PACKAGE_ROOT, 'specs', 'setup.ts')]] as const)
    : (['dist/specs/claims', 'js', [join(PACKAGE_ROOT, 'dist', 'specs', 'setup.js')]] as const);
  const training = `${dir}/11-training.test.${ext}`;
  const all = `${dir}/**/*.test.${ext}`;
  if (part === 'training') return { include: [training], exclude: [], setupFiles };
  return { include: [all], exclude: part === 'gradients' ? [training] : [], setupFiles };
}

/** Resolves an export of an installed peer through the peer's own `exports` map. */
function peerExport(peer: InstalledPeer, specifier: string): string {
  return createRequire(join(peer.dir, 'package.json')).resolve(specifier);
}

/**
 * Runs the claim suite in a child process with `env` (the filters the specs read); `onTick` is
 * called every 15 s while it runs. Resolves to the child's exit status (1 if it could not start).
 */
export function runClaimSuite(
  peers: { readonly vitest: InstalledPeer; readonly 'allure-vitest': InstalledPeer },
  o: { readonly resultsDir: string; readonly shard: string | undefined; readonly maxWorkers?: number; readonly part?: SuitePart },
  env: NodeJS.ProcessEnv,
  onTick: () => void,
): Promise<number> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'vg-vitest-cache-'));
  const options: SuiteRunnerOptions = {
    vitestNode: peerExport(peers.vitest, 'vitest/node'),
    allureReporter: peerExport(peers['allure-vitest'], 'allure-vitest/reporter'),
    root: PACKAGE_ROOT,
    ...claimSuiteFiles(o.part),
    resultsDir: o.resultsDir,
    cacheDir,
    shard: o.shard,
    maxWorkers: o.maxWorkers ?? DEFAULT_MAX_WORKERS,
  };
  const runner = fileURLToPath(new URL(`./suite-runner.${FROM_SOURCES ? 'ts' : 'js'}`, import.meta.url));
  return new Promise((resolve) => {
    // execArgv carries tsx's loader when running from sources; it is empty for the built CLI.
    const child = spawn(process.execPath, [...process.execArgv, runner, JSON.stringify(options)], { cwd: process.cwd(), env, stdio: 'inherit' });
    const timer = setInterval(onTick, 15_000);
    let settled = false;
    const done = (status: number): void => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      rmSync(cacheDir, { recursive: true, force: true });
      resolve(status);
    };
    child.on('error', (e) => {
      process.stderr.write(`vg: could not start the claim suite: ${e.message}\n`);
      done(1);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}
