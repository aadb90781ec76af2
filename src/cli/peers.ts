import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

/**
 * The peer packages `vg` runs (vitest, allure-vitest, the allure CLI, tfjs), found by module
 * resolution: first from this package's own location (where npm puts a project's peers), then
 * from the current directory's project. Never a path inside this package.
 */

/** Peer packages the CLI needs, by what needs them. */
export type PeerName = '@tensorflow/tfjs' | 'vitest' | 'allure-vitest' | 'allure';

/** A peer that is not installed, or not in the range this package supports. */
export class MissingPeerError extends Error {
  override readonly name = 'MissingPeerError';
  constructor(
    readonly command: string,
    readonly peers: ReadonlyArray<{ readonly name: PeerName; readonly range: string; readonly found: string | null }>,
  ) {
    const what = peers.map((p) => (p.found === null ? `${p.name} (not installed)` : `${p.name} ${p.range} (found ${p.found})`)).join(', ');
    const install = peers.map((p) => `${p.name}@${JSON.stringify(p.range)}`).join(' ');
    super(`${command} needs ${what}. Install ${peers.length > 1 ? 'them' : 'it'} in your project: npm install --save-dev ${install}`);
  }
}

/** The range of a peer this package declares (package.json's peerDependencies). */
export function peerRange(name: PeerName): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
  return pkg.peerDependencies?.[name] ?? '*';
}

/** Whether `version` satisfies a caret range `^x.y.z` (the only form this package declares) or `*`. */
export function satisfiesCaret(version: string, range: string): boolean {
  if (range === '*') return true;
  const want = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range),
    have = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!want || !have) return false;
  const [w, h] = [want.slice(1).map(Number), have.slice(1).map(Number)];
  if (h[0] !== w[0]) return false;
  for (let i = 1; i < 3; i++) if (h[i] !== w[i]) return h[i] > w[i];
  return true;
}

/** A package's directory as Node's resolution finds it from `base` (a file path), or null when it is not installed there. */
function resolveFrom(base: string, name: string): string | null {
  // The node_modules folders resolution walks, without going through the package's exports
  // (allure and allure-vitest export neither "." nor "./package.json").
  for (const modules of createRequire(base).resolve.paths(name) ?? []) {
    const dir = join(modules, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return null;
}

/** An installed peer: its directory and its package.json. */
export interface InstalledPeer {
  readonly dir: string;
  readonly version: string;
  readonly bin: Readonly<Record<string, string>>;
}

/** Finds a peer from this package's location, then from the current directory; null when it is not installed. */
export function findPeer(name: PeerName): InstalledPeer | null {
  const dir = resolveFrom(join(PACKAGE_ROOT, 'package.json'), name) ?? resolveFrom(join(process.cwd(), 'package.json'), name);
  if (dir === null) return null;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? { [name]: pkg.bin } : (pkg.bin ?? {});
  return { dir, version: pkg.version, bin: Object.fromEntries(Object.entries(bin).map(([k, v]) => [k, join(dir, v)])) };
}

/** The named peers, each installed in its declared range, or a MissingPeerError naming every one that is not. */
export function requirePeers(command: string, names: readonly PeerName[]): Record<PeerName, InstalledPeer> {
  const found: Partial<Record<PeerName, InstalledPeer>> = {};
  const missing: Array<{ name: PeerName; range: string; found: string | null }> = [];
  for (const name of names) {
    const peer = findPeer(name),
      range = peerRange(name);
    if (peer === null || !satisfiesCaret(peer.version, range)) missing.push({ name, range, found: peer?.version ?? null });
    else found[name] = peer;
  }
  if (missing.length > 0) throw new MissingPeerError(command, missing);
  return found as Record<PeerName, InstalledPeer>;
}
