import * as tf from '@tensorflow/tfjs';
import { stepTf, type TfModel } from '../models/tf-model.js';
import { runSequence } from './forward.js';

/** Forget-gate values and the cell-state Jacobian of an LSTM, per step. */
export interface ForgetGateProbe {
  /** f_t per step ([H] each). */
  readonly forgetGate: Float64Array[];
  /** diag of ∂c_t/∂c_{t−1} (h_{t−1} held fixed), per step, by autodiff. */
  readonly cellJacobianDiagonal: Float64Array[];
  /** Largest |off-diagonal| entry of ∂c_t/∂c_{t−1} over all steps (the document says it is diag(f_t)). */
  readonly maxOffDiagonal: number;
}

/** Probe 8: forget gates and ∂c_t/∂c_{t−1}, by autodiff on the cell state alone (H copies per step). */
export async function forgetGateProbe(model: TfModel): Promise<ForgetGateProbe[]> {
  if (model.config.architecture !== 'lstm') throw new RangeError(`forgetGateProbe: needs an lstm model, got ${model.config.architecture}`);
  const { count: C } = model;
  const { seqLength: T, hiddenSize: H } = model.config;
  const tensors = tf.tidy(() => {
    const outs = runSequence(model, model.inputs);
    const zeros = tf.zeros([C, 1, H]);
    const hPrev = tf.concat(
      [zeros, ...outs.slice(0, T - 1).map((o) => o.state.h)].map((s) => tf.tile(s, [1, H, 1])),
      1,
    );
    const cPrev = tf.concat(
      [zeros, ...outs.slice(0, T - 1).map((o) => o.state.c!)].map((s) => tf.tile(s, [1, H, 1])),
      1,
    );
    const x = tf.reshape(tf.transpose(tf.reshape(tf.tile(model.inputs, [1, H, 1, 1]), [C, H, T, -1]), [0, 2, 1, 3]), [C, T * H, -1]);
    const selector = tf.tile(tf.eye(H).reshape([1, H, H]), [C, T, 1]);
    const loss = (c: tf.Tensor): tf.Scalar => tf.sum(tf.mul(stepTf(model, { h: hPrev, c: c as tf.Tensor }, x).state.c!, selector));
    const jc = tf.grad(loss)(cPrev); // [C, T·H, H]: rows of ∂c_t/∂c_{t−1}
    const f = tf.stack(
      outs.map((o) => o.forgetGate!),
      1,
    ); // [C, T, 1, H]
    return [jc, f];
  });
  const [jc, f] = await Promise.all(tensors.map((t) => t.data()));
  tensors.forEach((t) => t.dispose());
  return Array.from({ length: C }, (_, c) => {
    let maxOffDiagonal = 0;
    const diag: Float64Array[] = [];
    for (let t = 0; t < T; t++) {
      const d = new Float64Array(H);
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < H; j++) {
          const v = jc[((c * T + t) * H + i) * H + j];
          if (i === j) d[i] = v;
          else maxOffDiagonal = Math.max(maxOffDiagonal, Math.abs(v));
        }
      }
      diag.push(d);
    }
    const forgetGate = Array.from({ length: T }, (_, t) => Float64Array.from(f.subarray((c * T + t) * H, (c * T + t + 1) * H)));
    return { forgetGate, cellJacobianDiagonal: diag, maxOffDiagonal };
  });
}
