import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../config/errors.js';
import { float32Arithmetic } from './float32.js';
import { patchWasmSlice } from './wasm-slice.js';

/** Backends in the order they are tried. */
export const BACKEND_NAMES = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What was chosen and why the earlier candidates were skipped; recorded in every report. */
export interface BackendInfo {
  readonly name: BackendName;
  /** The name tfjs registered it under ('tensorflow' for both node packages). */
  readonly tfjsBackend: string;
  readonly version: string;
  /**
   * What computes: for the node packages libtensorflow's version and whether it placed ops on a
   * GPU, for wasm WebAssembly and its SIMD, for cpu JavaScript; and, where it holds, that float32
   * subnormals are flushed to zero (src/backend/float32.ts).
   */
  readonly device: string;
  readonly forced: boolean;
  readonly skipped: ReadonlyArray<{ readonly name: BackendName; readonly reason: string }>;
}

let resolved: Promise<BackendInfo> | undefined;

/**
 * Resolves the tfjs backend once per process: tfjs-node-gpu (when it loads and sees a GPU),
 * then tfjs-node, then wasm, then cpu. `VG_BACKEND` forces one; a forced backend that cannot
 * load is an error, never a silent fallback. With `announce`, the choice (and what was skipped,
 * and why) is printed to stderr once, when it is made: the CLI does so, libraries and tests do not.
 */
export function resolveBackend(
  forced: string | undefined = process.env.VG_BACKEND,
  { announce = false }: { readonly announce?: boolean } = {},
): Promise<BackendInfo> {
  resolved ??= resolveUncached(forced, announce).catch((error: unknown) => {
    resolved = undefined;
    throw error;
  });
  return resolved;
}

async function resolveUncached(forcedRaw: string | undefined, print: boolean): Promise<BackendInfo> {
  const forcedName = forcedRaw === undefined || forcedRaw === '' ? undefined : forcedRaw;
  if (forcedName !== undefined && !(BACKEND_NAMES as readonly string[]).includes(forcedName)) {
    throw new ConfigError('VG_BACKEND', forcedRaw, `one of ${BACKEND_NAMES.join(', ')}`);
  }
  const candidates = forcedName ? [forcedName as BackendName] : [...BACKEND_NAMES];
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of candidates) {
    const reason = await tryLoad(name);
    if (reason === null) {
      const info: BackendInfo = {
        name,
        tfjsBackend: tf.getBackend(),
        version: versionOf(name),
        device: await deviceOf(name),
        forced: forcedName !== undefined,
        skipped,
      };
      if (print) announce(info);
      return info;
    }
    if (forcedName) throw new BackendUnavailableError(name, reason);
    skipped.push({ name, reason });
  }
  throw new BackendUnavailableError('cpu', skipped.map((s) => `${s.name}: ${s.reason}`).join('; '));
}

/** A backend that was asked for by name could not be loaded. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`backend "${backend}" cannot be used here: ${reason}`);
  }
}

// Returns null when the backend is now active, or why it was skipped.
async function tryLoad(name: BackendName): Promise<string | null> {
  try {
    switch (name) {
      case 'node-gpu': {
        quietTensorFlow();
        // Dynamic specifiers keep bundlers and type-checking from requiring the optional packages.
        const specifier = '@tensorflow/tfjs-node-gpu';
        nodeVersion = versionFrom(await import(specifier), 'tfjs-node-gpu');
        if (!(await tf.setBackend('tensorflow'))) return 'tfjs-node-gpu loaded but its backend did not initialise';
        if (!(await nodeSeesGpu())) return 'tfjs-node-gpu loaded but libtensorflow lists no GPU device';
        return null;
      }
      case 'node': {
        quietTensorFlow();
        const specifier = '@tensorflow/tfjs-node';
        nodeVersion = versionFrom(await import(specifier), 'tfjs-node');
        return (await tf.setBackend('tensorflow')) ? null : 'tfjs-node loaded but its backend did not initialise';
      }
      case 'wasm': {
        await import('@tensorflow/tfjs-backend-wasm');
        if (!(await tf.setBackend('wasm'))) return 'the wasm backend did not initialise';
        patchWasmSlice();
        return null;
      }
      case 'cpu':
        return (await tf.setBackend('cpu')) ? null : 'the cpu backend did not initialise';
    }
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return message.includes('Cannot find') || message.includes('ERR_MODULE_NOT_FOUND') ? 'package not installed' : message;
  }
}

// libtensorflow prints its start-up lines (oneDNN, absl) to stderr unless told otherwise; it reads
// the variable when the addon loads, so this must come first. A value the user set is kept.
function quietTensorFlow(): void {
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
}

/** The loaded node package's own version (its `version` export names it; tfjs's union does not). */
let nodeVersion: string | undefined;

function versionFrom(module: unknown, key: string): string | undefined {
  return (module as { version?: Record<string, string | undefined> }).version?.[key];
}

/** The tensorflow backend's binding: libtensorflow's version and whether it placed ops on a GPU. */
function binding(): { TF_Version?: string; isUsingGpuDevice?: () => boolean } | undefined {
  return (tf.backend() as unknown as { binding?: { TF_Version?: string; isUsingGpuDevice?: () => boolean } }).binding;
}

async function nodeSeesGpu(): Promise<boolean> {
  // libtensorflow places ops on a GPU when it has one; the backend exposes it through the binding.
  return binding()?.isUsingGpuDevice?.() ?? false;
}

function versionOf(name: BackendName): string {
  const versions = tf.version as Record<string, string | undefined>;
  if (name === 'node' || name === 'node-gpu') return nodeVersion ?? versions['tfjs-core'] ?? 'unknown';
  return versions[name === 'wasm' ? 'tfjs-backend-wasm' : 'tfjs-backend-cpu'] ?? versions['tfjs-core'] ?? 'unknown';
}

async function deviceOf(name: BackendName): Promise<string> {
  const flushes = float32Arithmetic().flushesSubnormals ? '; float32 subnormals flushed to zero' : '';
  if (name === 'node' || name === 'node-gpu') {
    const b = binding();
    return `libtensorflow ${b?.TF_Version ?? 'unknown'} on ${b?.isUsingGpuDevice?.() ? 'a GPU' : 'the CPU'}${flushes}`;
  }
  if (name === 'wasm') return `WebAssembly${(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? ' SIMD' : ''}${flushes}`;
  return `JavaScript${flushes}`;
}

function announce(info: BackendInfo): void {
  const skipped = info.skipped.map((s) => `${s.name} (${s.reason})`).join(', ');
  process.stderr.write(`[vg] backend ${info.name} ${info.version}: ${info.device}${info.forced ? ' (forced)' : ''}${skipped ? `; skipped: ${skipped}` : ''}\n`);
}

/** Releases the backend choice (tests that switch backends within one process). */
export function resetBackendForTests(): void {
  resolved = undefined;
}
