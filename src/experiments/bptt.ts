import * as tf from '@tensorflow/tfjs';
import { type CellBackward, type CellConstants, type CellForward, cellBackward, cellForward } from './cells-bptt.js';
import { mmTransposeA } from './per-model-matmul.js';
import type { TrainableModel, TrainableName, Weights } from './trainable.js';

/**
 * Backpropagation through time for C models at once, written out step by step. Besides the
 * parameter gradients it yields, at no extra cost, the two quantities the probes need:
 * ∂L/∂s_t (the gradient arriving at state s_t = h_t, or [h_t; c_t], from later steps and the
 * readout) and δu_t = ∂L/∂u_t, whose outer products h_{t−1}ᵀ·δu_t are step t's terms of ∂L/∂W_hh.
 * Not tidied: call inside tf.tidy.
 */

export interface ForwardPass {
  readonly output: tf.Tensor; // [C, B, O]
  readonly hLast: tf.Tensor; // [C, B, H]
  readonly steps: readonly CellForward[];
  /** h_{t−1} for t = 0..T−1 (h_{−1} = 0), each [C, B, H]. */
  readonly hPrev: readonly tf.Tensor[];
  /** Inputs time-major per model, [C, T·B, D]. */
  readonly xFlat: tf.Tensor;
  readonly constants: CellConstants;
}

/** Runs x [C, B, T, D] through the cells and the readout. */
export function forwardPass(model: TrainableModel, w: Weights, x: tf.Tensor): ForwardPass {
  const cfg = model.config;
  const [C, B, T, D] = x.shape as [number, number, number, number];
  const H = cfg.hiddenSize;
  const G = (w.get('weight_ih')!.shape[2] as number) / H;
  const xFlat = tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [C, T * B, D]);
  const gru = cfg.architecture === 'gru';
  const gateOf = (v: tf.Tensor, g: number): tf.Tensor => (G === 1 ? v : tf.slice(v, [0, 0, g * H], [-1, -1, H]));
  // b_hh is only ever added to a, except the GRU's b_hn (r multiplies W_hn·h + b_hn).
  const bHh = w.get('bias_hh');
  const bias = (g: number): tf.Tensor => {
    const bIh = gateOf(w.get('bias_ih')!, g);
    return bHh && !(gru && g === 2) ? tf.add(bIh, gateOf(bHh, g)) : bIh;
  };
  const timeMajor = (v: tf.Tensor): tf.Tensor[] => timeSlices(v, C, T, B);
  const as = Array.from({ length: G }, (_, g) => timeMajor(tf.add(project(xFlat, gateOf(w.get('weight_ih')!, g)), bias(g))));
  const ps = w.has('projection.weight') ? timeMajor(tf.add(project(xFlat, w.get('projection.weight')!), w.get('projection.bias')!)) : null;
  const tile = (v: tf.Tensor | undefined): tf.Tensor | undefined => (v ? tf.tile(v, [1, B, 1]) : undefined);
  const constants: CellConstants = { lnGain: tile(w.get('layer_norm.weight')), lnBias: tile(w.get('layer_norm.bias')), bHn: gru ? tile(gateOf(bHh!, 2)) : undefined };
  const blocks = gateBlocks(w.get('weight_hh')!, G, H);
  let h = tf.zeros([C, B, H]);
  let c = cfg.architecture === 'lstm' ? tf.zeros([C, B, H]) : null;
  const steps: CellForward[] = [];
  const hPrev: tf.Tensor[] = [];
  for (let t = 0; t < T; t++) {
    hPrev.push(h);
    const hh = h;
    const step = cellForward(cfg, constants, as.map((ag) => ag[t]), blocks.map((b) => tf.matMul(hh, b)), h, c, ps ? ps[t] : null);
    steps.push(step);
    h = step.h;
    c = step.c;
  }
  const output = tf.add(tf.matMul(h, w.get('readout.weight')!), w.get('readout.bias')!);
  return { output, hLast: h, steps, hPrev, xFlat, constants };
}

/** The gate blocks [C, H, H] of W_hh: products per block need no slicing of the per-step result. */
function gateBlocks(wHh: tf.Tensor, G: number, H: number): tf.Tensor[] {
  return G === 1 ? [wHh] : Array.from({ length: G }, (_, g) => tf.slice(wHh, [0, 0, g * H], [-1, -1, H]));
}

/**
 * Splits v [C, T·B, K] into T time slices [C, B, K] through one read and T uploads: the cpu
 * backend's strided slices and the wasm backend's Slice (whose cost grows with the whole input:
 * ~1.5 ms per slice of a [101, 6, 32, 32] tensor) are both slower than a memcpy. The slices are
 * constants of the step: gradients with respect to them are taken by hand in bptt.
 */
function timeSlices(v: tf.Tensor, C: number, T: number, B: number): tf.Tensor[] {
  const K = v.shape[2] as number;
  const data = v.dataSync() as Float32Array;
  return Array.from({ length: T }, (_, t) => {
    const out = new Float32Array(C * B * K);
    for (let c = 0; c < C; c++) out.set(data.subarray((c * T + t) * B * K, (c * T + t + 1) * B * K), c * B * K);
    return tf.tensor3d(out, [C, B, K]);
  });
}

/** a [C, N, K] times a weight [C, K, M]. */
function project(a: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return tf.matMul(a, w);
}

export interface BpttResult {
  /** Per-model MSE [C]. */
  readonly loss: tf.Tensor;
  /** In the model's parameter order. */
  readonly grads: tf.Tensor[];
  /** ∂L/∂s_t stacked [T, C, B, S]. */
  readonly gradState: tf.Tensor;
  /** δu_t stacked [T, C, B, G·H], and h_{t−1} stacked [T, C, B, H]. */
  readonly du: tf.Tensor;
  readonly hPrev: tf.Tensor;
}

const sumTo = (v: tf.Tensor): tf.Tensor => tf.sum(v, 1, true); // [C, N, K] → [C, 1, K]

/** Loss Σ_c MSE_c of the readout against y [C, B, O], and every gradient by BPTT. */
export function bptt(model: TrainableModel, w: Weights, x: tf.Tensor, y: tf.Tensor): BpttResult {
  const cfg = model.config;
  const fwd = forwardPass(model, w, x);
  const [C, B, T] = x.shape as [number, number, number, number];
  const O = y.shape[2] as number;
  const diff = tf.sub(fwd.output, y);
  const loss = tf.mean(tf.square(diff), [1, 2]);
  const dOut = tf.mul(diff, 2 / (B * O));
  const grads = new Map<TrainableName, tf.Tensor>();
  grads.set('readout.weight', mmTransposeA(fwd.hLast, dOut));
  grads.set('readout.bias', sumTo(dOut));
  const wHh = w.get('weight_hh')!;
  let dh = tf.matMul(dOut, w.get('readout.weight')!, false, true);
  let dc = cfg.architecture === 'lstm' ? tf.zerosLike(dh) : null;
  const back: CellBackward[] = new Array(T);
  const dState: tf.Tensor[] = new Array(T);
  for (let t = T - 1; t >= 0; t--) {
    dState[t] = dc ? tf.concat([dh, dc], 2) : dh;
    const b = cellBackward(cfg, fwd.constants, fwd.steps[t].cache, dh, dc);
    back[t] = b;
    if (t > 0) {
      const viaU = tf.matMul(b.du, wHh, false, true);
      dh = b.dhDirect ? tf.add(viaU, b.dhDirect) : viaU;
      dc = b.dcPrev;
    }
  }
  const flat = (list: readonly tf.Tensor[]): tf.Tensor => {
    const s = tf.stack([...list], 1); // [C, T, B, K]: a concat, contiguous per model
    return tf.reshape(s, [C, T * B, s.shape[3] as number]);
  };
  const du = flat(back.map((b) => b.du));
  const da = cfg.architecture === 'gru' ? flat(back.map((b) => b.da)) : du;
  const hPrevFlat = flat(fwd.hPrev);
  grads.set('weight_hh', mmTransposeA(hPrevFlat, du));
  grads.set('weight_ih', mmTransposeA(fwd.xFlat, da));
  grads.set('bias_ih', sumTo(da));
  if (w.has('bias_hh')) grads.set('bias_hh', sumTo(du));
  if (w.has('projection.weight')) {
    const dhFlat = flat(dState);
    grads.set('projection.weight', mmTransposeA(fwd.xFlat, dhFlat));
    grads.set('projection.bias', sumTo(dhFlat));
  }
  if (w.has('layer_norm.weight')) {
    grads.set('layer_norm.weight', sumTo(flat(back.map((b) => b.dGain!))));
    grads.set('layer_norm.bias', sumTo(flat(back.map((b) => b.dBias!))));
  }
  return {
    loss,
    grads: model.params.map((p) => grads.get(p.name)!),
    gradState: tf.stack(dState),
    du: tf.stack(back.map((b) => b.du)),
    hPrev: tf.stack([...fwd.hPrev]),
  };
}
