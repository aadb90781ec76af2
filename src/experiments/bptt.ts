import * as tf from '@tensorflow/tfjs';
import { type CellBackward, type CellConstants, type CellForward, cellBackward, cellForward } from '../models/cells-bptt.js';
import { mmTransposeA } from './per-model-matmul.js';
import type { TrainableModel, TrainableName, Weights } from './trainable.js';

/**
 * Backpropagation through time for C models at once, written out step by step. Besides the
 * parameter gradients it yields, at no extra cost, the two quantities the probes need:
 * ∂L/∂s_t (the gradient arriving at state s_t = h_t, or [h_t; c_t], from later steps and the
 * readout) and δu_t = ∂L/∂u_t, whose outer products h_{t−1}ᵀ·δu_t are step t's terms of ∂L/∂W_hh.
 * Not tidied: call inside tf.tidy.
 *
 * Inside the time loop the per-step tensors are laid out [B, C, K] (batch-major), so that the
 * recurrent products of all C models are one plain 2-D product [B, C·H] × blockdiag(W_1 … W_C).
 * tfjs-backend-wasm 4.22 runs a plain 2-D product through XNNPACK but a batched one ([C, B, H] ×
 * [C, H, H]) through a naive loop: 54 µs against 180 µs for C = 3, H = 32, B = 32 (measured by
 * scripts/bench-train-step.ts), and those products were two thirds of a training update. The cells' operations are elementwise
 * or along the last axis, so they do not depend on the layout. Everything returned is [C, B, ·].
 */

export interface ForwardPass {
  readonly output: tf.Tensor; // [C, B, O]
  readonly hLast: tf.Tensor; // [C, B, H]
  /** Each step's cell output and cache, in the loop's layout [B, C, ·]. */
  readonly steps: readonly CellForward[];
  /** h_{t−1} for t = 0..T−1 (h_{−1} = 0), each [B, C, H] (the loop's layout). */
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
  const bHh = w.get('bias_hh');
  // The input projections of every step, gate and model in one 2-D product, split per step and gate.
  const xLoop = tf.reshape(tf.transpose(x, [2, 1, 0, 3]), [T * B, C * D]);
  const ihBias = w.get('bias_ih')!.dataSync() as Float32Array;
  const hhBias = bHh ? (bHh.dataSync() as Float32Array) : null;
  // b_hh is only ever added to a, except the GRU's b_hn (r multiplies W_hn·h + b_hn).
  const as = inputSlices(xLoop, w.get('weight_ih')!, G, B, (c, k) => ihBias[c * G * H + k] + (hhBias && !(gru && k >= 2 * H) ? hhBias[c * G * H + k] : 0));
  const projBias = w.has('projection.bias') ? (w.get('projection.bias')!.dataSync() as Float32Array) : null;
  const ps = w.has('projection.weight') ? inputSlices(xLoop, w.get('projection.weight')!, 1, B, (c, k) => (projBias ? projBias[c * H + k] : 0))[0] : null;
  // [C, 1, H] → [B, C, H], the loop's layout.
  const tile = (v: tf.Tensor | undefined): tf.Tensor | undefined => (v ? tf.tile(tf.reshape(v, [1, C, H]), [B, 1, 1]) : undefined);
  const constants: CellConstants = {
    lnGain: tile(w.get('layer_norm.weight')),
    lnBias: tile(w.get('layer_norm.bias')),
    bHn: gru ? tile(gateOf(bHh!, 2)) : undefined,
  };
  // Per gate g, u_g = h·blockDiagonal(W_hh, gate g): every model's recurrent product in one 2-D product.
  const blocks = Array.from({ length: G }, (_, g) => blockDiagonal(w.get('weight_hh')!, H, [g]));
  const recurrent = (h: tf.Tensor, block: tf.Tensor): tf.Tensor => tf.reshape(tf.matMul(tf.reshape(h, [B, C * H]), block), [B, C, H]);
  let h = tf.zeros([B, C, H]);
  let c = cfg.architecture === 'lstm' ? tf.zeros([B, C, H]) : null;
  const steps: CellForward[] = [];
  const hPrev: tf.Tensor[] = [];
  for (let t = 0; t < T; t++) {
    hPrev.push(h);
    const hh = h;
    const step = cellForward(
      cfg,
      constants,
      as.map((ag) => ag[t]),
      blocks.map((b) => recurrent(hh, b)),
      h,
      c,
      ps ? ps[t] : null,
    );
    steps.push(step);
    h = step.h;
    c = step.c;
  }
  const hLast = swapLeading(h);
  const output = tf.add(tf.matMul(hLast, w.get('readout.weight')!), w.get('readout.bias')!);
  return { output, hLast, steps, hPrev, xFlat, constants };
}

/** Swaps the two leading axes: [B, C, K] ↔ [C, B, K] (the loop's layout and the models'). */
const swapLeading = (v: tf.Tensor): tf.Tensor => tf.transpose(v, [1, 0, 2]);

/**
 * A block-diagonal matrix over the C models of w [C, R, K], for the gates (column groups of width
 * H) asked for: [C·R, n·C·H], columns gate-major, and the block at rows c·R… and columns
 * k·C·H + c·H… is model c's columns of gate gates[k]. Built in JavaScript from one read: it is a
 * constant of the step (gradients are taken by hand from the stacked states, not through it).
 */
function blockDiagonal(w: tf.Tensor, H: number, gates: readonly number[]): tf.Tensor {
  const [C, R, K] = w.shape as [number, number, number];
  const CH = C * H,
    cols = gates.length * CH;
  const wd = w.dataSync() as Float32Array;
  const m = new Float32Array(C * R * cols);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < R; i++) {
      const from = (c * R + i) * K,
        to = (c * R + i) * cols + c * H;
      gates.forEach((g, k) => m.set(wd.subarray(from + g * H, from + (g + 1) * H), to + k * CH));
    }
  }
  return tf.tensor2d(m, [C * R, cols]);
}

/**
 * The input terms x_t·W + b of every step, for G gates of width H: w [C, D, G·H], x laid out
 * [T·B, C·D]. One plain 2-D product with the block-diagonal [C·D, G·C·H], one read, then T·G
 * uploads of [B, C, H] (slicing is slower than a copy on both backends: the wasm backend's Slice
 * costs time in proportion to its whole input). Constants of the step: their gradients are
 * taken by hand in bptt.
 */
function inputSlices(xLoop: tf.Tensor, w: tf.Tensor, G: number, B: number, bias: (model: number, column: number) => number): tf.Tensor[][] {
  const C = w.shape[0] as number;
  const H = (w.shape[2] as number) / G,
    CH = C * H,
    T = (xLoop.shape[0] as number) / B;
  const row = new Float32Array(G * CH);
  for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) for (let j = 0; j < H; j++) row[g * CH + c * H + j] = bias(c, g * H + j);
  const terms = tf.tidy(() =>
    tf.add(
      tf.matMul(
        xLoop,
        blockDiagonal(
          w,
          H,
          Array.from({ length: G }, (_, g) => g),
        ),
      ),
      tf.tensor1d(row),
    ),
  );
  const data = terms.dataSync() as Float32Array;
  const slices = Array.from({ length: G }, (_, g) =>
    Array.from({ length: T }, (_, t) => {
      const out = new Float32Array(B * CH);
      for (let b = 0; b < B; b++) out.set(data.subarray((t * B + b) * G * CH + g * CH, (t * B + b) * G * CH + (g + 1) * CH), b * CH);
      return tf.tensor3d(out, [B, C, H]);
    }),
  );
  terms.dispose();
  return slices;
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
  // ∂L/∂h_{t−1} = δu_t·blockDiagonal(W_hh)ᵀ, δu_t laid out [B, C·G·H]: block c of the transpose is W_cᵀ.
  const wHh = w.get('weight_hh')!;
  const backwardBlock = tf.transpose(blockDiagonal(wHh, wHh.shape[2] as number, [0]));
  let dh = swapLeading(tf.matMul(dOut, w.get('readout.weight')!, false, true));
  let dc = cfg.architecture === 'lstm' ? tf.zerosLike(dh) : null;
  const back: CellBackward[] = new Array(T);
  const dState: tf.Tensor[] = new Array(T);
  for (let t = T - 1; t >= 0; t--) {
    dState[t] = dc ? tf.concat([dh, dc], 2) : dh;
    const b = cellBackward(cfg, fwd.constants, fwd.steps[t].cache, dh, dc);
    back[t] = b;
    if (t > 0) {
      const viaU = tf.reshape(tf.matMul(tf.reshape(b.du, [B, -1]), backwardBlock), [B, C, -1]);
      dh = b.dhDirect ? tf.add(viaU, b.dhDirect) : viaU;
      dc = b.dcPrev;
    }
  }
  // Per-step [B, C, K] → [C, T, B, K] (one stack and one transpose), then [C, T·B, K] or [T, C, B, K].
  const stacked = (list: readonly tf.Tensor[]): tf.Tensor => tf.stack([...list]); // [T, B, C, K]
  const flat = (list: readonly tf.Tensor[]): tf.Tensor => {
    const s = tf.transpose(stacked(list), [2, 0, 1, 3]);
    return tf.reshape(s, [C, T * B, s.shape[3] as number]);
  };
  const timeFirst = (list: readonly tf.Tensor[]): tf.Tensor => tf.transpose(stacked(list), [0, 2, 1, 3]);
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
    gradState: timeFirst(dState),
    du: timeFirst(back.map((b) => b.du)),
    hPrev: timeFirst(fwd.hPrev),
  };
}
