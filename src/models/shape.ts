import type { ModelConfig } from '../config/types.js';

/**
 * Key of the configurations that can share one batched tfjs model (the leading config axis): the
 * cell, its activations and every size. Configurations that differ only in their weights' init or
 * seed share a key. Used wherever configurations are grouped for one pass: the claims' batched
 * probes (claims/measure.ts) and the training grid (experiments/grid.ts).
 */
export function shapeKey(c: ModelConfig): string {
  return [c.architecture, c.activation, c.recurrentActivation, c.inputSize, c.hiddenSize, c.seqLength].join('/');
}
