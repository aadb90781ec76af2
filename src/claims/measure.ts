import type { ModelConfig } from '../config/types.js';
import { createParams, type ModelParams } from '../models/params.js';
import { shapeKey } from '../models/shape.js';
import { buildTfModel, type TfModel } from '../models/tf-model.js';

/**
 * Runs a batched probe over many configurations: configurations of one shape share one
 * tfjs model (leading config axis), so each shape costs one pass. Results come back in
 * the order of `configs`.
 */
export async function forEachShape<R>(
  configs: readonly ModelConfig[],
  probe: (model: TfModel, params: readonly ModelParams[]) => Promise<readonly R[]>,
  maxBatch?: (config: ModelConfig) => number,
): Promise<R[]> {
  return forEachShapeParams(
    configs,
    async (params) => {
      const model = buildTfModel(params);
      try {
        return await probe(model, params);
      } finally {
        model.dispose();
      }
    },
    maxBatch,
  );
}

/**
 * forEachShape without the tfjs model: each shape's parameters, for probes that do not run tfjs
 * (the kernel engine). With `maxBatch`, a shape's configurations go to the probe in batches of at
 * most maxBatch(config) (at least 1), in order.
 */
export async function forEachShapeParams<R>(
  configs: readonly ModelConfig[],
  probe: (params: readonly ModelParams[]) => Promise<readonly R[]>,
  maxBatch?: (config: ModelConfig) => number,
): Promise<R[]> {
  const groups = new Map<string, number[]>();
  configs.forEach((c, i) => {
    const key = shapeKey(c);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const results = new Array<R>(configs.length);
  for (const group of groups.values()) {
    const size = maxBatch ? Math.max(1, Math.floor(maxBatch(configs[group[0]]))) : group.length;
    for (let start = 0; start < group.length; start += size) {
      const indices = group.slice(start, start + size);
      const out = await probe(indices.map((i) => createParams(configs[i])));
      indices.forEach((i, k) => (results[i] = out[k]));
    }
  }
  return results;
}

/** True when every value is a finite number. */
export function allFinite(values: ReadonlyArray<number | null>): values is number[] {
  return values.every((v) => typeof v === 'number' && Number.isFinite(v));
}

/** Defined in numerics/round.ts (the report rounds with it too, and imports nothing from claims/). */
export { sig } from '../numerics/round.js';

/** Defined in rules.ts (no tfjs there, so the site's panel can read it); kept here for the claims that import it from measure.ts. */
export { EXPONENTIAL_R2 } from './rules.js';
