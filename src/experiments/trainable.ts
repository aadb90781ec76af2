import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/types.js';
import { createParams } from '../models/params.js';
import { Rng } from '../models/rng.js';
import { type TfModel, type TfState, buildTfModel, stepTf, zeroState } from '../models/tf-model.js';
import { perturb } from '../probes/forward.js';

/**
 * PyTorch-style names of the trainable tensors, so the document's `'weight_hh' in name` test
 * reads the same. The layernorm cell has no bias_hh (its W_hh is nn.Linear(bias=False)).
 */
export const TRAINABLE_NAMES = [
  'weight_ih',
  'weight_hh',
  'bias_ih',
  'bias_hh',
  'projection.weight',
  'projection.bias',
  'layer_norm.weight',
  'layer_norm.bias',
  'readout.weight',
  'readout.bias',
] as const;
export type TrainableName = (typeof TRAINABLE_NAMES)[number];

/** C models of one shape as tf.Variables (leading config axis), plus a linear readout of h_{T−1}. */
export interface TrainableModel {
  readonly config: ModelConfig;
  readonly count: number;
  readonly outputSize: number;
  /** The trainable tensors, in TRAINABLE_NAMES order, skipping those the architecture lacks. */
  readonly params: ReadonlyArray<{ readonly name: TrainableName; readonly variable: tf.Variable }>;
  dispose(): void;
}

/**
 * Builds the trainable models from createParams (the same weights the probes and the oracle
 * see), and a readout y = h_{T−1}·W_out + b_out drawn like nn.Linear(H, O): U(±1/√H), from the
 * stream (seed, 'readout').
 */
export interface TrainableOptions {
  /**
   * One bias per gate (Keras/tfjs-layers' layout) instead of PyTorch's b_ih and b_hh: bias_ih
   * starts at b_ih + b_hh and bias_hh is absent. Under Adam the two layouts train differently
   * (each of PyTorch's pair gets the full gradient and its own step), so a check against
   * tfjs-layers needs this one. For the GRU this is the reset-before form's layout only.
   */
  readonly singleBias?: boolean;
}

export function buildTrainable(configs: readonly ModelConfig[], outputSize: number, options: TrainableOptions = {}): TrainableModel {
  const model = buildTfModel(configs.map(createParams));
  const { architecture, hiddenSize: H } = model.config;
  const C = configs.length;
  const readout = (rows: number, stream: string): tf.Tensor => {
    const data = new Float32Array(C * rows * outputSize);
    const bound = 1 / Math.sqrt(H);
    configs.forEach((c, k) => {
      const rng = new Rng(c.seed, stream);
      for (let i = 0; i < rows * outputSize; i++) data[k * rows * outputSize + i] = rng.uniform(-bound, bound);
    });
    return tf.tensor3d(data, [C, rows, outputSize]);
  };
  const sources: Partial<Record<TrainableName, tf.Tensor | null>> = {
    weight_ih: model.wIh,
    weight_hh: model.wHh,
    bias_ih: options.singleBias ? tf.add(model.bIh, model.bHh) : model.bIh,
    bias_hh: architecture === 'layernorm' || options.singleBias ? null : model.bHh,
    'projection.weight': model.wProj,
    'projection.bias': model.bProj,
    'layer_norm.weight': model.lnGain,
    'layer_norm.bias': model.lnBias,
    'readout.weight': readout(H, 'readout'),
    'readout.bias': readout(1, 'readout-bias'),
  };
  const params = TRAINABLE_NAMES.filter((n) => sources[n]).map((name) => ({ name, variable: tf.variable(sources[name]!, true, undefined) }));
  sources['readout.weight']!.dispose();
  sources['readout.bias']!.dispose();
  if (options.singleBias) sources.bias_ih!.dispose();
  model.dispose();
  return {
    config: configs[0],
    count: C,
    outputSize,
    params,
    dispose() {
      for (const p of params) p.variable.dispose();
    },
  };
}

/** Values for every trainable tensor (the variables, or stand-ins a gradient function passes). */
export type Weights = ReadonlyMap<TrainableName, tf.Tensor>;

/** The model's variables as Weights. */
export function weightsOf(model: TrainableModel): Weights {
  return new Map(model.params.map((p) => [p.name, p.variable as tf.Tensor]));
}

/** A TfModel view of the weights so stepTf (the probes' cells) runs them (the autodiff reference); bias_hh absent means 0. */
function cellView(model: TrainableModel, w: Weights, x: tf.Tensor): TfModel {
  const H = model.config.hiddenSize;
  const get = (n: TrainableName): tf.Tensor | null => w.get(n) ?? null;
  return {
    config: model.config,
    count: model.count,
    wIh: get('weight_ih')!,
    wHh: get('weight_hh')!,
    bIh: get('bias_ih')!,
    bHh: get('bias_hh') ?? tf.zeros([model.count, 1, H]),
    wProj: get('projection.weight'),
    bProj: get('projection.bias'),
    lnGain: get('layer_norm.weight'),
    lnBias: get('layer_norm.bias'),
    inputs: x,
    dispose: () => undefined,
  };
}

/** Instrumentation of a forward pass: per-step W_hh copies and zero state perturbations. */
export interface Taps {
  /** T tensors [C, H, G·H] used as W_hh at each step; their gradients are the per-step terms of ∂L/∂W_hh. */
  readonly wHhSteps?: readonly tf.Tensor[];
  /** T tensors [C, B, S] of zeros added to each new state; their gradients are ∂L/∂s_t. */
  readonly deltas?: readonly tf.Tensor[];
}

/**
 * The reference forward pass through stepTf: runs x ([C, B, T, D]) and returns the readout
 * [C, B, O] and the final state. Training uses bptt.ts; this is what the specs differentiate
 * with tfjs autodiff to check it. Not tidied: call inside tf.tidy or a gradient function.
 */
export function forward(model: TrainableModel, w: Weights, x: tf.Tensor, taps: Taps = {}): { output: tf.Tensor; state: TfState } {
  const view = cellView(model, w, x);
  const xs = tf.unstack(x, 2);
  let state = zeroState(view, x.shape[1] as number);
  for (let t = 0; t < xs.length; t++) {
    const cell = taps.wHhSteps ? { ...view, wHh: taps.wHhSteps[t] } : view;
    const out = stepTf(cell, state, xs[t]).state;
    state = taps.deltas ? perturb(out, taps.deltas[t], model.config.hiddenSize) : out;
  }
  const output = tf.add(tf.matMul(state.h, w.get('readout.weight')!), w.get('readout.bias')!);
  return { output, state };
}

/** Per-model MSE [C] of outputs [C, B, O] against targets [C, B, O]. */
export function mseLoss(output: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.mean(tf.squaredDifference(output, targets), [1, 2]);
}
