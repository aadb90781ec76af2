// The temporal gradient profile of a tfjs model, from a plain Node script (ESM).
import * as tf from '@tensorflow/tfjs';
import { gradientProfile, resolveBackend } from 'vanishing-gradients-verify';

await resolveBackend(); // tfjs-node if installed, else wasm, else cpu
const model = tf.sequential({ layers: [tf.layers.lstm({ units: 16, inputShape: [100, 8] })] });
const p = await gradientProfile(model, tf.randomNormal([4, 100, 8], 0, 1, 'float32', 1));
// log10 ‖∂L/∂x_t‖ by distance from the last step; null where float32 underflowed (p.underflow says so).
console.log(`${p.recurrentLayers.join(', ')} on ${p.backend}: ${p.steps} steps`);
console.log(`distance 0: ${p.byDistance[0]?.toFixed(2)}, distance 99: ${p.byDistance[99]?.toFixed(2) ?? 'underflow'}`);
console.log(`decades lost from the last step to the first: ${p.decadesLost === null ? 'underflow' : p.decadesLost.toFixed(2)}`);
