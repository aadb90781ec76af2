import type * as tf from '@tensorflow/tfjs';

/** Layer classes whose presence makes a LayersModel recurrent (Bidirectional and TimeDistributed are looked into). */
export const RECURRENT_LAYER_CLASSES = ['SimpleRNN', 'LSTM', 'GRU', 'RNN', 'ConvLSTM2D'] as const;

/** Wrappers whose inner layer is looked into; the wrapper names the entry. */
const WRAPPERS = ['Bidirectional', 'TimeDistributed'] as const;

/**
 * The recurrent layers of a model, as gradientProfile's `recurrentLayers` documents them:
 * "ClassName(name)" for a recurrent layer, and for one inside a wrapper the wrapper's class with
 * the inner class in parentheses, then the wrapper's own name: "Bidirectional(GRU)(bidirectional_Bidirectional1)".
 * The wrapper's name is the one a user gave (or tfjs made) and finds in `model.summary()`; the
 * inner layers' names are tfjs's (forward_gru_GRU1, backward_gru_GRU2). Nested models are walked.
 */
export function recurrentLayersOf(model: tf.LayersModel): string[] {
  const found: string[] = [];
  const visit = (layer: tf.layers.Layer): void => {
    const cls = layer.getClassName();
    if ((RECURRENT_LAYER_CLASSES as readonly string[]).includes(cls)) {
      found.push(`${cls}(${layer.name})`);
      return;
    }
    if ((WRAPPERS as readonly string[]).includes(cls)) {
      const wrapped = layer as unknown as { layer?: tf.layers.Layer; forwardLayer?: tf.layers.Layer };
      const inner = wrapped.forwardLayer ?? wrapped.layer;
      const innerClass = inner?.getClassName();
      if (innerClass !== undefined && (RECURRENT_LAYER_CLASSES as readonly string[]).includes(innerClass)) found.push(`${cls}(${innerClass})(${layer.name})`);
      return;
    }
    const nested = (layer as unknown as { layers?: unknown }).layers;
    if (Array.isArray(nested)) for (const l of nested as tf.layers.Layer[]) visit(l);
  };
  for (const layer of model.layers) visit(layer);
  return found;
}

/**
 * The widest sum of products per entry the recurrent layers' weights make, forward and backward
 * together (what a backend that flushes subnormals can lose per entry; src/backend/float32.ts):
 * for a kernel [in, gates·units], in (x·W) + gates·units (g·Wᵀ); for a convolution kernel, its
 * window times its input channels + its output channels. A bias (rank 1) sums nothing.
 */
export function productsPerEntryOf(model: tf.LayersModel): number {
  let terms = 1;
  const perEntry = (shape: readonly number[]): number => (shape.length < 2 ? 1 : shape.slice(0, -1).reduce((a, b) => a * b, 1) + shape[shape.length - 1]);
  const visit = (layer: tf.layers.Layer): void => {
    const cls = layer.getClassName();
    if ((RECURRENT_LAYER_CLASSES as readonly string[]).includes(cls)) {
      terms = Math.max(terms, ...layer.weights.map((w) => perEntry(w.shape.map((d) => d ?? 1))));
      return;
    }
    const wrapped = layer as unknown as { layer?: tf.layers.Layer; forwardLayer?: tf.layers.Layer; layers?: unknown };
    const inner = wrapped.forwardLayer ?? wrapped.layer;
    if (inner && (WRAPPERS as readonly string[]).includes(cls)) visit(inner);
    else if (Array.isArray(wrapped.layers)) for (const l of wrapped.layers as tf.layers.Layer[]) visit(l);
  };
  for (const layer of model.layers) visit(layer);
  return terms;
}
