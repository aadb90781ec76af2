/**
 * Measurements shared within one run, and only within it. Claims over the same domain sample the
 * same subjects (the region seed depends on the domain), so a run measures each configuration
 * once; a new run (another spec file, another `verifyClaims` call, a user's own call) starts
 * empty, so nothing measured under one run's settings leaks into another's. The engine creates
 * one per run and hands it to every claim's `evaluate` in its context.
 */
export class RunCache {
  readonly #scopes = new Map<string, Map<string, unknown>>();

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
    return {
      get: (key) => m.get(key) as V | undefined,
      set: (key, value) => {
        if (m.size >= limit && !m.has(key)) m.clear();
        m.set(key, value);
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
