import { type Job, type KernelArchitecture, RecurrentKernel, gateCount, kernelCodes } from '../kernels/recurrent.js';
import type { ModelParams } from '../models/params.js';
import { type FlaggedLog10Series, rowLog10Norms } from '../numerics/log-norm.js';
import { type FlaggedTemporalProfile, type ModelProfile, overflowFlags } from './gradient-profile.js';

/**
 * The temporal gradient profile (gradient-profile.ts, probe 1) on the kernel engine: the fused
 * WebAssembly kernel (src/kernels/recurrent.c, vg_forward then vg_profile) runs each
 * configuration's forward pass and backward pass in two calls, instead of a dozen tfjs ops per
 * step. Same quantities (‖∂L/∂s_t‖ and ‖∂L/∂x_t‖ of L = Σ h_{T−1}, float32 gradients, norms
 * taken in float64), same underflow and overflow rules (overflowFlags). The gradient claims
 * measure with it (claims/evidence.ts), except VG-FLOW-PRODUCT, whose subject is the tfjs
 * computation itself; the tfjs path stays the reference: specs/experiments/kernel-profile.test.ts
 * checks this one against it for every cell on both tfjs backends.
 */

/** The architectures the kernel engine profiles (every ModelConfig architecture). */
export const KERNEL_PROFILE_ARCHITECTURES: readonly KernelArchitecture[] = ['rnn', 'residual', 'layernorm', 'lstm', 'gru'];

/** C models of one shape with their weights and inputs copied into one kernel instance; build once, profile many times. */
export interface KernelProfileModel {
  readonly count: number;
  readonly seqLength: number;
  readonly inputSize: number;
  /** Width of s_t: 2H for the LSTM ([h; c]), H otherwise. */
  readonly stateWidth: number;
  readonly hiddenSize: number;
  readonly lstm: boolean;
  readonly kernel: RecurrentKernel;
  /** One job per model: its own weights and inputs, the shared workspace. */
  readonly jobs: readonly number[];
  readonly dstate: number;
  readonly gx: number;
  /** The forward pass's states: hs[t + 1] = h_t (and, for the LSTM, cs[t + 1] = c_t), [T + 1, H] each. */
  readonly hs: number;
  readonly cs: number;
}

/**
 * Copies C models' weights and inputs into a kernel instance (the counterpart of buildTfModel's
 * upload): a new one unless `k` is given, in which case they are allocated after its current top.
 */
export function buildKernelProfileModel(list: readonly ModelParams[], k: RecurrentKernel = new RecurrentKernel()): KernelProfileModel {
  if (list.length === 0) throw new RangeError('buildKernelProfileModel: params list must not be empty');
  const { config } = list[0];
  const architecture = config.architecture as KernelArchitecture;
  if (!KERNEL_PROFILE_ARCHITECTURES.includes(architecture)) {
    throw new RangeError(
      `buildKernelProfileModel: the kernel engine profiles ${KERNEL_PROFILE_ARCHITECTURES.join(', ')}; got architecture "${config.architecture}"`,
    );
  }
  const keys = ['architecture', 'activation', 'recurrentActivation', 'inputSize', 'hiddenSize', 'seqLength'] as const;
  for (const p of list) {
    for (const key of keys) {
      if (p.config[key] !== config[key])
        throw new RangeError(`buildKernelProfileModel: every model must share ${key}; got ${String(p.config[key])} and ${String(config[key])}`);
    }
  }
  const { seqLength: T, inputSize: D, hiddenSize: H } = config;
  const GH = gateCount(architecture) * H;
  const S = architecture === 'lstm' ? 2 * H : H;
  const copy = (data: Float64Array | undefined, n: number): number => {
    const ptr = k.alloc(n);
    if (data) k.view(ptr, n).set(data);
    return ptr;
  };
  // Workspace for B = 1 with every step kept (keep = 1), shared by the models: they run one after another.
  const shared: Job = {
    ...kernelCodes(architecture, config.activation, config.recurrentActivation),
    B: 1,
    T,
    D,
    H,
    O: 0,
    keep: 1,
    xt: k.alloc(T * D),
    z: k.alloc(T * GH),
    u: k.alloc(T * GH),
    acts: k.alloc(T * GH),
    hs: k.alloc((T + 1) * H),
    cs: k.alloc((T + 1) * H),
    aux: k.alloc(T * H),
    dz: k.alloc(T * GH),
    da: k.alloc(T * GH),
    whhT: k.alloc(GH * Math.max(H, D)),
    dh: k.alloc(H),
    dc: k.alloc(H),
    dtmp: k.alloc(Math.max(GH, H)),
    dstate: k.alloc(T * S),
    gx: k.alloc(T * D),
    lnsum: k.alloc(T * H),
    brow: k.alloc(GH),
  };
  const jobs = list.map((p) =>
    k.job({
      ...shared,
      x: copy(p.inputs.data, T * D),
      wih: copy(p.wIh.data, D * GH),
      whh: copy(p.wHh.data, H * GH),
      bih: copy(p.bIh, GH),
      bhh: copy(p.bHh, GH),
      ...(architecture === 'residual' ? { wproj: copy(p.wProj.data, D * H), bproj: copy(p.bProj, H) } : {}),
      ...(architecture === 'layernorm' ? { lng: copy(p.lnGain, H), lnb: copy(p.lnBias, H) } : {}),
    }),
  );
  return {
    count: list.length,
    seqLength: T,
    inputSize: D,
    stateWidth: S,
    hiddenSize: H,
    lstm: architecture === 'lstm',
    kernel: k,
    jobs,
    dstate: shared.dstate!,
    gx: shared.gx!,
    hs: shared.hs!,
    cs: shared.cs!,
  };
}

/**
 * ‖∂L/∂s_t‖ and ‖∂L/∂x_t‖, t = 0..T−1, of every model (L = Σ h_{T−1}), on the kernel engine.
 * Synchronous: the kernel runs on the calling thread.
 */
export function temporalProfileKernel(model: KernelProfileModel): FlaggedTemporalProfile {
  const { kernel: k, seqLength: T, inputSize: D, stateWidth: S } = model;
  const profiles: ModelProfile[] = model.jobs.map((job) => {
    k.forward(job);
    k.profile(job);
    return overflowFlags(rowLog10Norms(k.view(model.dstate, T * S), T, S), rowLog10Norms(k.view(model.gx, T * D), T, D), finiteSteps(model));
  });
  return { gradState: profiles.map((p) => p.gradState), gradInput: profiles.map((p) => p.gradInput), firstOverflow: profiles.map((p) => p.firstOverflow) };
}

/** Per step t, whether the state s_t of the last forward pass is finite (gradient-profile.ts's finiteSteps). */
function finiteSteps(model: KernelProfileModel): boolean[] {
  const { kernel: k, seqLength: T, hiddenSize: H } = model;
  const hs = k.view(model.hs, (T + 1) * H);
  const cs = model.lstm ? k.view(model.cs, (T + 1) * H) : null;
  // A plain loop: subarray().every() allocated a view and called back per entry, about a tenth of a call's time.
  const finite = (v: Float32Array, t: number): boolean => {
    for (let i = (t + 1) * H; i < (t + 2) * H; i++) if (!Number.isFinite(v[i])) return false;
    return true;
  };
  return Array.from({ length: T }, (_, t) => finite(hs, t) && (cs === null || finite(cs, t)));
}

/** The instance kernelProfile reuses: its memory keeps the largest size asked for. */
let shared: RecurrentKernel | null = null;

/**
 * The temporal profile of C models of one shape on the kernel engine, in one call: weights and
 * inputs are copied into a kernel instance kept for the process (released after the call, so
 * repeated calls reuse its memory instead of instantiating a module each time).
 */
export function kernelProfile(list: readonly ModelParams[]): FlaggedTemporalProfile {
  shared ??= new RecurrentKernel();
  const k = shared;
  const at = k.mark();
  try {
    return temporalProfileKernel(buildKernelProfileModel(list, k));
  } finally {
    k.release(at);
  }
}

/** An LSTM's gradient split by path: ‖∂L/∂h_t‖, ‖∂L/∂c_t‖ (the cell-state highway) and ‖∂L/∂x_t‖, t = 0..T−1, float32. */
export interface LstmPaths {
  readonly hidden: FlaggedLog10Series;
  /** ∂L/∂c_t with h_t held apart (the kernel's state [h; c]): 0 at t = T−1, where the loss reads h alone. */
  readonly cell: FlaggedLog10Series;
  readonly input: FlaggedLog10Series;
}

/**
 * The two halves of ∂L/∂s_t = [∂L/∂h_t; ∂L/∂c_t] of LSTMs of one shape, and ∂L/∂x_t, on the kernel
 * engine (one forward and one backward call each, as kernelProfile). A forward overflow marks every
 * value computed from it, as overflowFlags does for the whole state.
 */
export function kernelLstmPaths(list: readonly ModelParams[]): LstmPaths[] {
  if (list[0]?.config.architecture !== 'lstm')
    throw new RangeError(`kernelLstmPaths: LSTM configurations only, got architecture "${list[0]?.config.architecture}"`);
  shared ??= new RecurrentKernel();
  const k = shared;
  const at = k.mark();
  try {
    const model = buildKernelProfileModel(list, k);
    const { seqLength: T, inputSize: D, hiddenSize: H } = model;
    return model.jobs.map((job) => {
      k.forward(job);
      k.profile(job);
      const d = k.view(model.dstate, T * 2 * H);
      const finite = finiteSteps(model);
      const input = rowLog10Norms(k.view(model.gx, T * D), T, D);
      const hidden = overflowFlags(rowLog10Norms(d, T, H, 0, 2 * H), input, finite);
      const cell = overflowFlags(rowLog10Norms(d, T, H, H, 2 * H), input, finite);
      return { hidden: hidden.gradState, cell: cell.gradState, input: hidden.gradInput };
    });
  } finally {
    k.release(at);
  }
}
