import type { ModelConfig } from '../config/types.js';
import { type Job, type KernelArchitecture, RecurrentKernel, gateCount, kernelCodes } from '../kernels/recurrent.js';
import { log10NormOf } from '../numerics/log-norm.js';
import { seriesFromScaled } from './metrics.js';
import { adamSchedule, adamUpdateArrays } from './adam-rule.js';
import { GRAD_CLIP_NORM } from './optimizer.js';
import type { Task, TaskBatch } from './tasks.js';
import { ActivationSums, tanhOutputOf } from './activations.js';
import type { ActivationStats, CurvePoint, EvalRecord, ProbeRecord, StepRecord } from './records.js';
import type { TrainableModel, TrainableName } from './trainable.js';

/** Job fields of each trainable tensor and of its gradient. */
const FIELDS: Record<TrainableName, readonly ['wih' | 'whh' | 'bih' | 'bhh' | 'wproj' | 'bproj' | 'lng' | 'lnb' | 'wout' | 'bout', string]> = {
  weight_ih: ['wih', 'gwih'],
  weight_hh: ['whh', 'gwhh'],
  bias_ih: ['bih', 'gbih'],
  bias_hh: ['bhh', 'gbhh'],
  'projection.weight': ['wproj', 'gwproj'],
  'projection.bias': ['bproj', 'gbproj'],
  'layer_norm.weight': ['lng', 'glng'],
  'layer_norm.bias': ['lnb', 'glnb'],
  'readout.weight': ['wout', 'gwout'],
  'readout.bias': ['bout', 'gbout'],
};

/** Bytes per float32: the kernel's buffers hold float32, its addresses are in bytes. */
const F32 = Float32Array.BYTES_PER_ELEMENT;

/** Byte address of element `index` of a float32 buffer at byte address `base`. */
function elementAddress(base: number, index: number): number {
  return base + F32 * index;
}

/** Byte address of step t's block [rows, width] in a per-step buffer [steps, rows, width] (recurrent.c's z, dz, acts, hs, ...). */
function stepAddress(base: number, t: number, rows: number, width: number): number {
  return elementAddress(base, t * rows * width);
}

/**
 * The slot of recurrent.c's hs that holds h_t: hs[t + 1] when every step is kept (hs[0] is the
 * initial state h_{−1} = 0), else (t + 1) mod 2 of its two slots.
 */
function stateSlot(t: number, keep: boolean): number {
  return keep ? t + 1 : (t + 1) % 2;
}

/**
 * What a workspace is for: 'train' keeps every step's values and the backward pass's buffers;
 * 'record' keeps every step's values of a forward pass whose activations are read afterwards (no
 * backward buffers); 'evaluate' keeps two slots of the state, for a forward pass read at its end.
 */
type WorkspaceKind = 'train' | 'record' | 'evaluate';

interface Workspace {
  readonly B: number;
  readonly kind: WorkspaceKind;
  readonly shared: Job;
  readonly x: number;
  readonly y: number;
  /** The probe's per-step term h_{t−1}ᵀ·δu_t [H, G·H] (training workspaces only). */
  readonly term: number;
}

/**
 * Sequences per forward pass when a held-out set's activations are read: a 'record' workspace
 * keeps every step of this many sequences (z, acts, hs, cs, aux: about 5·T·rows·G·H floats, 8 MB at
 * T = 101, H = 32, G = 1), not of all 512 (and 1024 for the evaluation with its redrawn copy).
 * The kernel computes each sequence alone (its products' sums run over k in one order whatever
 * the number of rows), so the losses are those of one pass over the whole set, bit for bit.
 */
const RECORD_ROWS = 128;

/**
 * The training loop's fast engine: C models of one shape trained with the fused WebAssembly kernel
 * (src/kernels/recurrent.c), one call per model for the forward pass and one for the backward
 * pass, instead of a few thousand tfjs ops per update. Same equations, statistics, clipping and
 * Adam as the tfjs engine (step.ts, bptt.ts, optimizer.ts), which stays the reference:
 * specs/experiments/kernel.test.ts trains both side by side and compares losses and weights.
 */
export class KernelTrainer {
  private readonly kernel = new RecurrentKernel();
  private readonly C: number;
  private readonly T: number;
  private readonly D: number;
  private readonly H: number;
  private readonly O: number;
  private readonly GH: number;
  /** Per trainable tensor: name, floats per model, offset in a model's flat block. */
  private readonly layout: { name: TrainableName; size: number; offset: number }[] = [];
  private readonly N: number;
  /** Per model: byte address of its weights and of its gradients (flat, in layout order). */
  private readonly wPtr: number[];
  private readonly gPtr: number[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private step = 0;
  private readonly workspaces = new Map<string, Workspace>();
  private readonly codes: Job;
  private readonly config: ModelConfig;

  /**
   * Copies the initial weights out of the tfjs model (which the caller still owns).
   * `architecture` overrides the config's: 'gru-reset-before' trains a GRU's weights in the
   * reset-before form (tfjs-layers' GRU), with every bias outside the reset.
   */
  constructor(
    model: TrainableModel,
    private readonly learningRate: number,
    architecture: KernelArchitecture = model.config.architecture,
  ) {
    this.config = model.config;
    const cfg = model.config;
    this.C = model.count;
    this.T = cfg.seqLength;
    this.D = cfg.inputSize;
    this.H = cfg.hiddenSize;
    this.O = model.outputSize;
    if (architecture === 'gru-reset-before' && (cfg.architecture !== 'gru' || cfg.recurrentActivation !== 'sigmoid')) {
      throw new RangeError(
        `KernelTrainer: the reset-before GRU needs a GRU config with sigmoid gates, got ${cfg.architecture} with ${cfg.recurrentActivation}`,
      );
    }
    this.GH = gateCount(architecture) * this.H;
    this.codes = kernelCodes(architecture, cfg.activation, cfg.recurrentActivation);
    let offset = 0;
    for (const p of model.params) {
      const size = p.variable.size / this.C;
      this.layout.push({ name: p.name, size, offset });
      offset += size;
    }
    this.N = offset;
    this.wPtr = Array.from({ length: this.C }, () => this.kernel.alloc(this.N));
    this.gPtr = Array.from({ length: this.C }, () => this.kernel.alloc(this.N));
    model.params.forEach((p, i) => {
      const data = p.variable.dataSync() as Float32Array;
      const { size, offset: at } = this.layout[i];
      for (let c = 0; c < this.C; c++) this.kernel.view(elementAddress(this.wPtr[c], at), size).set(data.subarray(c * size, (c + 1) * size));
    });
    this.m = Array.from({ length: this.C }, () => new Float32Array(this.N));
    this.v = Array.from({ length: this.C }, () => new Float32Array(this.N));
  }

  /** Each model's weights, per trainable tensor, in the tfjs model's layout ([C, ...] flattened). */
  weights(): Map<TrainableName, Float32Array> {
    return new Map(
      this.layout.map(({ name, size, offset }) => {
        const out = new Float32Array(this.C * size);
        for (let c = 0; c < this.C; c++) out.set(this.kernel.view(elementAddress(this.wPtr[c], offset), size), c * size);
        return [name, out];
      }),
    );
  }

  /** Buffers for a batch size and use (WorkspaceKind); 'train' and 'record' keep every step's values, 'evaluate' two slots. */
  private workspace(B: number, kind: WorkspaceKind): Workspace {
    const key = `${B}/${kind}`;
    const found = this.workspaces.get(key);
    if (found) return found;
    const { T, D, H, O, GH } = this;
    const k = this.kernel;
    const keep = kind !== 'evaluate';
    const steps = keep ? T : 1;
    const lstm = this.config.architecture === 'lstm';
    const shared: Job = {
      ...this.codes,
      B,
      T,
      D,
      H,
      O,
      keep: keep ? 1 : 0,
      xt: k.alloc(T * B * D),
      z: k.alloc(steps * B * GH),
      u: k.alloc(steps * B * GH),
      acts: k.alloc(steps * B * GH),
      hs: k.alloc((keep ? T + 1 : 2) * B * H),
      brow: k.alloc(GH),
      cs: k.alloc((keep ? T + 1 : 2) * B * H),
      aux: k.alloc(steps * B * H),
      out: k.alloc(B * O),
    };
    if (kind === 'train') {
      Object.assign(shared, {
        dz: k.alloc(T * B * GH),
        da: k.alloc(T * B * GH),
        whhT: k.alloc(GH * H),
        dh: k.alloc(B * H),
        dc: k.alloc(B * H),
        dtmp: k.alloc(B * Math.max(GH, H)),
        dout: k.alloc(B * O),
        dstate: k.alloc(T * B * (lstm ? 2 * H : H)),
        lnsum: k.alloc(T * B * H),
      });
    }
    const ws = { B, kind, shared, x: k.alloc(B * T * D), y: k.alloc(B * O), term: kind === 'train' ? k.alloc(H * GH) : 0 };
    this.workspaces.set(key, ws);
    return ws;
  }

  /** The Job of model c on a workspace; dstate only when asked (the residual cell always needs it). */
  private jobOf(ws: Workspace, c: number, withState: boolean): number {
    const fields: Job = { ...ws.shared, x: ws.x, y: ws.y };
    if (!withState && this.config.architecture !== 'residual') fields.dstate = 0;
    for (const { name, offset } of this.layout) {
      const [w, g] = FIELDS[name];
      fields[w] = elementAddress(this.wPtr[c], offset);
      if (ws.kind === 'train') (fields as Record<string, number>)[g] = elementAddress(this.gPtr[c], offset);
    }
    return this.kernel.job(fields);
  }

  /**
   * One Adam update of every model on its batch: gradient statistics before clipping (the
   * detector's), per-model clip to GRAD_CLIP_NORM, then Adam, as step.ts. With `instrument`, also
   * the probes of ProbeRecord, taken on this batch before the update.
   */
  update(
    batches: readonly TaskBatch[],
    instrument: boolean,
    mask: readonly boolean[] = batches.map(() => true),
  ): { records: (StepRecord | null)[]; probes: (Omit<ProbeRecord, 'step'> | null)[] | null } {
    const B = batches[0].batch;
    const ws = this.workspace(B, 'train');
    const k = this.kernel;
    this.step++;
    const schedule = adamSchedule(this.learningRate, this.step);
    const records: (StepRecord | null)[] = [];
    const probes: (Omit<ProbeRecord, 'step'> | null)[] = [];
    for (let c = 0; c < this.C; c++) {
      if (!mask[c]) {
        records.push(null);
        probes.push(null);
        continue;
      }
      const before = k.mark();
      const job = this.jobOf(ws, c, instrument);
      k.view(ws.x, batches[c].inputs.length).set(batches[c].inputs);
      k.view(ws.y, batches[c].targets.length).set(batches[c].targets);
      k.forward(job);
      const loss = k.backward(job);
      const g = k.view(this.gPtr[c], this.N);
      const params: StepRecord['params'] = {};
      let sumSq = 0;
      for (const { name, size, offset } of this.layout) {
        const s = gradStats(g, offset, size);
        params[name] = s;
        sumSq += s.norm * s.norm;
      }
      const gradNorm = Math.sqrt(sumSq);
      records.push({ loss, gradNorm, params });
      if (instrument) {
        const hh = params.weight_hh!.norm;
        const ih = params.weight_ih!.norm;
        probes.push({ ...this.probe(ws), hhOverIh: ih > 0 ? hh / ih : NaN });
      }
      // Fresh views: anything allocated since `g` was taken may have grown the memory and detached it.
      const clipScale = Math.min(1, GRAD_CLIP_NORM / Math.max(gradNorm, 1e-30));
      adamUpdateArrays(k.view(this.wPtr[c], this.N), this.m[c], this.v[c], k.view(this.gPtr[c], this.N), clipScale, schedule);
      k.release(before);
    }
    return { records, probes: instrument ? probes : null };
  }

  /** ‖∂L/∂s_t‖ and ‖h_{t−1}ᵀ·δu_t‖_F per step, as max and scaled Σ² (underflow-safe), after a backward pass. */
  private probe(ws: Workspace): Pick<ProbeRecord, 'gradState' | 'wHhTerms'> {
    const { T, H, GH } = this;
    const B = ws.B;
    const k = this.kernel;
    const S = this.config.architecture === 'lstm' ? 2 * H : H;
    const term = ws.term;
    const state = k.view(ws.shared.dstate!, T * B * S);
    const sMax: number[] = [],
      sSum: number[] = [],
      wMax: number[] = [],
      wSum: number[] = [];
    for (let t = 0; t < T; t++) {
      const [mx, ss] = scaled(state, t * B * S, B * S);
      sMax.push(mx);
      sSum.push(ss);
      // h_{t−1} is hs[t] (stateSlot(t − 1)), δu_t is dz[t].
      k.gemm(H, GH, B, stepAddress(ws.shared.hs!, stateSlot(t - 1, true), B, H), 1, H, stepAddress(ws.shared.dz!, t, B, GH), GH, term, GH, false);
      const [tm, ts] = scaled(k.view(term, H * GH), 0, H * GH);
      wMax.push(tm);
      wSum.push(ts);
    }
    return { gradState: seriesFromScaled(sMax, sSum), wHhTerms: seriesFromScaled(wMax, wSum) };
  }

  /** Held-out loss, accuracy and activation statistics of the models in `mask` (null for the others): the training curve's points. */
  heldOut(task: Task, sets: readonly TaskBatch[], mask: readonly boolean[]): (CurvePoint | null)[] {
    const O = this.O;
    return sets.map((set, c) => {
      if (!mask[c]) return null;
      const { out, activations } = this.recordedForward(c, set);
      let se = 0;
      for (let i = 0; i < out.length; i++) se += (out[i] - set.targets[i]) ** 2;
      return { step: this.step, loss: Math.fround(se / (set.batch * O)), accuracy: task.accuracy(out, set.targets), activations };
    });
  }

  /**
   * Model c's forward pass over a set, RECORD_ROWS sequences at a time with every step kept: its
   * predictions [E·O], and for a tanh cell the statistics of its tanh output over every unit,
   * step and sequence (activations.ts; null for the others).
   */
  private recordedForward(c: number, set: TaskBatch): { out: Float32Array; activations: ActivationStats | null } {
    const { T, D, H, O } = this;
    const k = this.kernel;
    const E = set.batch;
    const which = tanhOutputOf(this.config);
    const sums = new ActivationSums();
    const out = new Float32Array(E * O);
    for (let from = 0; from < E; from += RECORD_ROWS) {
      const rows = Math.min(RECORD_ROWS, E - from);
      const ws = this.workspace(rows, 'record');
      const before = k.mark();
      const job = this.jobOf(ws, c, false);
      k.view(ws.x, rows * T * D).set(set.inputs.subarray(from * T * D, (from + rows) * T * D));
      k.forward(job);
      out.set(k.view(ws.shared.out!, rows * O), from * O);
      // h_0 … h_{T−1} and acts[t] = σ(z_t), each [rows, H] per step and contiguous over t (a = tanh output, see tanhOutputOf).
      if (which === 'state') sums.add(k.view(stepAddress(ws.shared.hs!, stateSlot(0, true), rows, H), T * rows * H));
      else if (which === 'branch') sums.add(k.view(ws.shared.acts!, T * rows * H));
      k.release(before);
    }
    return { out, activations: which === null ? null : sums.stats() };
  }

  /**
   * The evaluation of train.ts's evaluate: each model's set stacked with its prefix-redrawn copy;
   * MSE and predictions on the first half, hidden-state collapse between the halves; the
   * activation statistics of the first half from a recorded forward pass over it (twice per run,
   * so its second forward pass costs little).
   */
  evaluate(task: Task, sets: readonly TaskBatch[], redrawn: readonly TaskBatch[]): EvalRecord[] {
    const E = sets[0].batch;
    const ws = this.workspace(2 * E, 'evaluate');
    const k = this.kernel;
    const { H, O } = this;
    const recorded = tanhOutputOf(this.config) !== null;
    return sets.map((set, c) => {
      const activations = recorded ? this.recordedForward(c, set).activations : null;
      const before = k.mark();
      const job = this.jobOf(ws, c, false);
      const x = k.view(ws.x, 2 * set.inputs.length);
      x.set(set.inputs);
      x.set(redrawn[c].inputs, set.inputs.length);
      k.forward(job);
      const out = k.view(ws.shared.out!, 2 * E * O);
      const hLast = k.view(stepAddress(ws.shared.hs!, stateSlot(this.T - 1, false), 2 * E, H), 2 * E * H);
      let se = 0;
      for (let i = 0; i < E * O; i++) se += (out[i] - set.targets[i]) ** 2;
      let diff = 0,
        norm = 0;
      for (let i = 0; i < E * H; i++) {
        diff += (hLast[i] - hLast[E * H + i]) ** 2;
        norm += hLast[i] ** 2;
      }
      const pred = Float32Array.from(out.subarray(0, E * O));
      k.release(before);
      return { loss: Math.fround(se / (E * O)), collapse: Math.sqrt(diff / Math.max(norm, 1e-30)), accuracy: task.accuracy(pred, set.targets), activations };
    });
  }
}

/** max |v| and Σ (v/max)² over v[from … from + n). */
function scaled(v: Float32Array, from: number, n: number): [number, number] {
  let mx = 0;
  for (let i = from; i < from + n; i++) mx = Math.max(mx, Math.abs(v[i]));
  if (mx === 0) return [0, 0];
  let s = 0;
  for (let i = from; i < from + n; i++) s += (v[i] / mx) ** 2;
  return [mx, s];
}

/** The detector's record of one gradient tensor (norm, mean |g|, max |g|), computed without underflow. */
function gradStats(g: Float32Array, offset: number, size: number): StepRecord['params'][TrainableName] & object {
  const [maxAbs, ss] = scaled(g, offset, size);
  let sumAbs = 0;
  for (let i = offset; i < offset + size; i++) sumAbs += Math.abs(g[i]);
  const norm = maxAbs * Math.sqrt(ss);
  return { norm, log10Norm: log10NormOf([norm]).log10, meanAbs: sumAbs / size, maxAbs };
}
