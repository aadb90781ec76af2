import * as tf from '@tensorflow/tfjs';
import { activate } from './tf-model.js';
import { type Activation, LAYER_NORM_EPSILON, type ModelConfig, type RecurrentActivation } from '../config/types.js';

/**
 * Forward and hand-written backward steps of the five cells, for backpropagation through time
 * without a gradient tape (the tape's extra kernels and per-step transposed products made
 * training several times slower). Same equations as src/models/tf-model.ts (whose autodiff
 * gradients the specs compare these with). Tensors are [B, C, ·] (bptt.ts's loop layout); every
 * operation is elementwise or along the last axis, so the order of the two leading axes is free.
 */

type Act = Activation | RecurrentActivation;

/** σ'(z) given y = σ(z), with tfjs's conventions at kinks (relu' = [z > 0], clip' = [min ≤ v ≤ max]). */
export function actSlope(name: Act, z: tf.Tensor, y: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'tanh':
      return tf.sub(1, tf.square(y));
    case 'sigmoid':
      return tf.mul(y, tf.sub(1, y));
    case 'relu':
      return tf.cast(tf.greater(z, 0), 'float32');
    case 'linear':
      return tf.onesLike(z);
    case 'hardSigmoid': {
      const v = tf.add(tf.mul(z, 0.2), 0.5);
      return tf.mul(tf.cast(tf.logicalAnd(tf.greaterEqual(v, 0), tf.lessEqual(v, 1)), 'float32'), 0.2);
    }
  }
}

/** What a cell keeps from its forward step for the backward one. */
export type Cache = Readonly<Record<string, tf.Tensor>>;

export interface CellForward {
  readonly h: tf.Tensor;
  readonly c: tf.Tensor | null;
  /**
   * The output of the cell's activation σ, whose slope diag(σ′) enters its Jacobian: h_t for the
   * vanilla and layer-norm cells, the residual cell's σ(z_t) before the projection is added; null
   * for the gated cells (no one activation output of their own).
   */
  readonly activation: tf.Tensor | null;
  readonly cache: Cache;
}

/** Gradients a backward step returns: w.r.t. u (→ W_hh, b_hh, h_{t−1}), a (→ W_ih, b_ih), and direct paths to the previous state. */
export interface CellBackward {
  readonly du: tf.Tensor;
  readonly da: tf.Tensor;
  /** ∂L/∂h_{t−1} not through u (GRU's z·h_{t−1}); null otherwise. */
  readonly dhDirect: tf.Tensor | null;
  /** LSTM: ∂L/∂c_{t−1}. */
  readonly dcPrev: tf.Tensor | null;
  /** Layernorm: per-step terms of the gain and bias gradients ([B, C, H] each). */
  readonly dGain?: tf.Tensor;
  readonly dBias?: tf.Tensor;
}

/** Per-forward constants, tiled to [B, C, H] once: the layernorm gain and bias, the GRU's b_hn. */
export interface CellConstants {
  readonly lnGain?: tf.Tensor;
  readonly lnBias?: tf.Tensor;
  readonly bHn?: tf.Tensor;
}

/**
 * One forward step from per-gate blocks: a[g] = (x_t·W_ih + b)[gate g] and u[g] = h_{t−1}·W_hh[gate g],
 * each [B, C, H] (gate order as in ModelParams). Gates arrive as separate tensors because
 * slicing the last axis is a slow strided copy on the cpu backend. `p` is the residual
 * projection x_t·W_proj + b_proj (residual cell only).
 */
export function cellForward(
  cfg: ModelConfig,
  k: CellConstants,
  a: readonly tf.Tensor[],
  u: readonly tf.Tensor[],
  hPrev: tf.Tensor,
  cPrev: tf.Tensor | null,
  p: tf.Tensor | null,
): CellForward {
  const ga = cfg.recurrentActivation;
  switch (cfg.architecture) {
    case 'rnn':
    case 'residual': {
      const z = tf.add(a[0], u[0]);
      const y = activate(cfg.activation, z);
      return { h: p ? tf.add(y, p) : y, c: null, activation: y, cache: { z, y } };
    }
    case 'layernorm': {
      const z = tf.add(a[0], u[0]);
      const { mean, variance } = tf.moments(z, -1, true);
      const rstd = tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON));
      const n = tf.mul(tf.sub(z, mean), rstd);
      const y = tf.add(tf.mul(n, k.lnGain!), k.lnBias!);
      const h = activate(cfg.activation, y);
      return { h, c: null, activation: h, cache: { n, rstd, y, h } };
    }
    case 'lstm': {
      const [zi, zf, zg, zo] = a.map((ag, g) => tf.add(ag, u[g]));
      const i = activate(ga, zi),
        f = activate(ga, zf),
        g = tf.tanh(zg),
        o = activate(ga, zo);
      const c = tf.add(tf.mul(f, cPrev!), tf.mul(i, g));
      const tc = tf.tanh(c);
      return { h: tf.mul(o, tc), c, activation: null, cache: { zi, zf, zo, i, f, g, o, cPrev: cPrev!, tc } };
    }
    case 'gru': {
      // PyTorch's GRU: b_hr and b_hz are folded into a; b_hn stays inside the reset product.
      const zr = tf.add(a[0], u[0]);
      const zz = tf.add(a[1], u[1]);
      const r = activate(ga, zr),
        zu = activate(ga, zz);
      const un = tf.add(u[2], k.bHn!);
      const n = tf.tanh(tf.add(a[2], tf.mul(r, un)));
      const h = tf.add(tf.mul(tf.sub(1, zu), n), tf.mul(zu, hPrev));
      return { h, c: null, activation: null, cache: { zr, zz, r, zu, un, n, hPrev } };
    }
  }
}

/** One backward step from ∂L/∂h_t (and ∂L/∂c_t for the LSTM, the part not through h_t). */
export function cellBackward(cfg: ModelConfig, k: CellConstants, m: Cache, dh: tf.Tensor, dc: tf.Tensor | null): CellBackward {
  const ga = cfg.recurrentActivation;
  switch (cfg.architecture) {
    case 'rnn':
    case 'residual': {
      const dz = tf.mul(dh, actSlope(cfg.activation, m.z, m.y));
      return { du: dz, da: dz, dhDirect: null, dcPrev: null };
    }
    case 'layernorm': {
      const dy = tf.mul(dh, actSlope(cfg.activation, m.y, m.h));
      const dn = tf.mul(dy, k.lnGain!);
      const centred = tf.sub(tf.sub(dn, tf.mean(dn, -1, true)), tf.mul(m.n, tf.mean(tf.mul(dn, m.n), -1, true)));
      const dz = tf.mul(centred, m.rstd);
      return { du: dz, da: dz, dhDirect: null, dcPrev: null, dGain: tf.mul(dy, m.n), dBias: dy };
    }
    case 'lstm': {
      const dcTotal = tf.add(dc!, tf.mul(tf.mul(dh, m.o), tf.sub(1, tf.square(m.tc))));
      const dzi = tf.mul(tf.mul(dcTotal, m.g), actSlope(ga, m.zi, m.i));
      const dzf = tf.mul(tf.mul(dcTotal, m.cPrev), actSlope(ga, m.zf, m.f));
      const dzg = tf.mul(tf.mul(dcTotal, m.i), tf.sub(1, tf.square(m.g)));
      const dzo = tf.mul(tf.mul(dh, m.tc), actSlope(ga, m.zo, m.o));
      const dz = tf.concat([dzi, dzf, dzg, dzo], 2);
      return { du: dz, da: dz, dhDirect: null, dcPrev: tf.mul(dcTotal, m.f) };
    }
    case 'gru': {
      const dzn = tf.mul(tf.mul(dh, tf.sub(1, m.zu)), tf.sub(1, tf.square(m.n)));
      const dzr = tf.mul(tf.mul(dzn, m.un), actSlope(ga, m.zr, m.r));
      const dzz = tf.mul(tf.mul(dh, tf.sub(m.hPrev, m.n)), actSlope(ga, m.zz, m.zu));
      return {
        du: tf.concat([dzr, dzz, tf.mul(dzn, m.r)], 2),
        da: tf.concat([dzr, dzz, dzn], 2),
        dhDirect: tf.mul(dh, m.zu),
        dcPrev: null,
      };
    }
  }
}
