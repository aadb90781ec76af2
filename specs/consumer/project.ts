import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../src/cli/paths.js';

/**
 * A user's project, made the way a new user makes one: this package packed with `npm pack`
 * (which builds it), the tarball installed into a fresh ESM project beside the peers the README
 * names, and the README's examples copied in. Installs prefer npm's local cache; the peers are
 * pinned to the versions this repository's lockfile holds, so they are in that cache after `npm ci`.
 */

/** What `npm pack --json` says about the tarball. */
export interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: ReadonlyArray<{ readonly path: string; readonly size: number }>;
}

export interface Consumer {
  readonly dir: string;
  readonly tarball: string;
  readonly pack: PackResult;
  /** Wall time of `npm pack` (build included) and of the install, in ms. */
  readonly packMs: number;
  readonly installMs: number;
}

/** The peers a user installs, pinned to this repository's lockfile. */
export const CONSUMER_PEERS = ['@tensorflow/tfjs', 'vitest', 'allure-vitest', 'allure', 'typescript', '@types/node'] as const;

/** The strict compiler settings the consumer's type check uses (skipLibCheck stays on: tfjs's own declarations fail some). */
export const STRICT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
  include: ['test'],
};

/**
 * The environment a user's shell would have: this test run's own variables left out (the vitest
 * worker's, this repository's VG_* settings, and npm's for this package's script).
 */
function userEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VG_|VITEST|TINYPOOL|npm_package_|npm_lifecycle_)/.test(k)));
  return { ...env, ...extra };
}

/** Runs a command with a user's environment (plus `env`); the result carries its wall time. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> & { readonly ms: number } {
  const start = performance.now();
  const result = spawnSync(command, [...args], { cwd, encoding: 'utf8', env: userEnv(env), maxBuffer: 64 * 1024 * 1024 });
  return Object.assign(result, { ms: performance.now() - start });
}

/** Output of a finished command, for assertion messages. */
export function transcript(r: SpawnSyncReturns<string>): string {
  return (
    `exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\n--- ` + `stdout\n${(r.stdout ?? '').slice(-4000)}\n--- stderr\n${(r.stderr ?? '').slice(-4000)}`
  );
}

function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`package-lock.json holds no version of ${name}`);
  return version;
}

/** The npm environment of the test's npm commands: no audit, no funding notes, no update check. */
const NPM_ENV = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

/** Packs this package (its prepack script builds dist/) into a fresh directory under `parent`. */
export function packPackage(parent: string): { tarball: string; pack: PackResult; ms: number } {
  const out = mkdtempSync(join(parent, 'pack-'));
  const r = run('npm', ['pack', '--json', '--pack-destination', out], ROOT, NPM_ENV);
  if (r.status !== 0) throw new Error(`npm pack failed: ${transcript(r)}`);
  const [pack] = JSON.parse(r.stdout) as PackResult[];
  if (!pack) throw new Error(`npm pack printed no result: ${transcript(r)}`);
  return { tarball: join(out, pack.filename), pack, ms: r.ms };
}

/** A fresh ESM project under `parent` with the tarball and the pinned peers installed, and the README's examples in place. */
export function createConsumer(parent: string = tmpdir()): Consumer {
  const work = mkdtempSync(join(parent, 'vg-consumer-'));
  const { tarball, pack, ms: packMs } = packPackage(work);
  const dir = join(work, 'my-app');
  mkdirSync(join(dir, 'test'), { recursive: true });
  const devDependencies: Record<string, string> = Object.fromEntries(CONSUMER_PEERS.map((name) => [name, lockedVersion(name)]));
  devDependencies['vanishing-gradients-verify'] = `file:${tarball}`;
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'my-app', version: '1.0.0', private: true, type: 'module', devDependencies }, null, 2)}\n`,
  );
  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir, NPM_ENV);
  if (install.status !== 0) throw new Error(`npm install of the tarball failed: ${transcript(install)}`);
  copyFileSync(join(ROOT, 'examples', 'gradient-profile.mjs'), join(dir, 'gradient-profile.mjs'));
  copyFileSync(join(ROOT, 'examples', 'my-lstm.test.ts'), join(dir, 'test', 'my-lstm.test.ts'));
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(STRICT_TSCONFIG, null, 2)}\n`);
  // The older resolution TypeScript still offers (no `exports`): the package's typesVersions serve it.
  writeFileSync(
    join(dir, 'tsconfig.node10.json'),
    `${JSON.stringify({ extends: './tsconfig.json', compilerOptions: { module: 'esnext', moduleResolution: 'node' } }, null, 2)}\n`,
  );
  return { dir, tarball, pack, packMs, installMs: install.ms };
}
