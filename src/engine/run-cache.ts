import { kernelsRun } from '../backend/usage.js';

/**
 * What one region's measurement asked of the tfjs backend (see {@link RunCache.track}). Both 0:
 * it was computed without the backend, so it measures the same on every backend.
 */
export interface BackendUse {
  /** tfjs kernels run while the region was evaluated. */
  readonly kernels: number;
  /** Cached measurements it read that were stored by a region that had run tfjs kernels. */
  readonly derivedReads: number;
}

/**
 * Measurements shared within one run, and only within it. Claims over the same domain sample the
 * same subjects (the region seed depends on the domain), so a run measures each configuration
 * once; a new run (another spec file, another `verifyClaims` call, a user's own call) starts
 * empty, so nothing measured under one run's settings leaks into another's. The engine creates
 * one per run and hands it to every claim's `evaluate` in its context.
 */
export class RunCache {
  readonly #scopes = new Map<string, Map<string, unknown>>();
  /** Per scope, the keys of entries measured with tfjs kernels (or stored outside any tracked region). */
  readonly #fromBackend = new Map<string, Set<string>>();
  #region: { kernelsAtStart: number; derivedReads: number } | null = null;

  /** @param kernels a cumulative count of tfjs kernels run (default: this thread's, backend/usage.ts). */
  constructor(private readonly kernels: () => number = kernelsRun) {}

  /**
   * Evaluates one region and says what it asked of the tfjs backend: kernels it ran, and cached
   * entries it read that were measured with tfjs kernels (a measurement of the backend that a
   * cache hit would otherwise hide). An entry counts as measured with kernels when kernels ran
   * between the lookup that missed it and its store, or, stored without such a lookup, when its
   * region had run kernels; stored while no region is tracked, it counts as the backend's.
   * Regions of one run are tracked one at a time.
   */
  async track<T>(evaluate: () => Promise<T>): Promise<{ readonly value: T; readonly use: BackendUse }> {
    if (this.#region) throw new Error('RunCache.track: a region is already being tracked in this run');
    const region = { kernelsAtStart: this.kernels(), derivedReads: 0 };
    this.#region = region;
    try {
      const value = await evaluate();
      return { value, use: { kernels: this.kernels() - region.kernelsAtStart, derivedReads: region.derivedReads } };
    } finally {
      this.#region = null;
    }
  }

  /**
   * A named map in this run's cache (for example 'gradient-evidence/tfjs'). A scope that grows
   * past `limit` entries is cleared first: a cache, never a leak over a long run.
   */
  scope<V>(name: string, limit = 4096): { get(key: string): V | undefined; set(key: string, value: V): void; readonly size: number } {
    let map = this.#scopes.get(name);
    if (!map) {
      map = new Map();
      this.#scopes.set(name, map);
    }
    const m = map;
    let derived = this.#fromBackend.get(name);
    if (!derived) {
      derived = new Set();
      this.#fromBackend.set(name, derived);
    }
    const d = derived;
    // The kernel count when each key was last looked up and missed: an entry is the backend's when
    // kernels ran between that miss and its store (a measurement made on a miss), else when its
    // region had run any.
    const missedAt = new Map<string, number>();
    return {
      get: (key) => {
        const value = m.get(key) as V | undefined;
        if (value === undefined) missedAt.set(key, this.kernels());
        else if (this.#region && d.has(key)) this.#region.derivedReads++;
        return value;
      },
      set: (key, value) => {
        if (m.size >= limit && !m.has(key)) {
          m.clear();
          d.clear();
          missedAt.clear();
        }
        m.set(key, value);
        const since = missedAt.get(key) ?? this.#region?.kernelsAtStart;
        missedAt.delete(key);
        if (since === undefined || this.kernels() > since) d.add(key);
        else d.delete(key);
      },
      get size() {
        return m.size;
      },
    };
  }
}

/** What the engine hands a claim's `evaluate` besides the subjects. */
export interface EvaluationContext {
  /** This run's measurements, shared between the claims and regions of the run. */
  readonly cache: RunCache;
}

/** A fresh context: one run's worth of cache. */
export function newEvaluationContext(): EvaluationContext {
  return { cache: new RunCache() };
}
