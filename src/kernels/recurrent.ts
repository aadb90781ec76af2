import { JOB_LAYOUT, JOB_SIZE, KERNEL_WASM_BASE64 } from './recurrent-wasm.js';

/**
 * The fused recurrent kernel (recurrent.c, WebAssembly SIMD128): one call runs a model's forward
 * pass, or its backpropagation through time, over a whole sequence. It is independent of the
 * tfjs backend; src/models/cells-bptt.ts (tfjs ops) stays the reference it is tested against.
 */

/** The cells of ModelConfig, and the reset-before GRU of Cho et al. and tfjs-layers (used to check the trainer against tfjs-layers). */
export type KernelArchitecture = 'rnn' | 'residual' | 'layernorm' | 'lstm' | 'gru' | 'gru-reset-before';
export type KernelActivation = 'tanh' | 'sigmoid' | 'relu' | 'linear' | 'hardSigmoid';

const ARCH: Record<KernelArchitecture, number> = { rnn: 0, residual: 1, layernorm: 2, lstm: 3, gru: 4, 'gru-reset-before': 5 };
const ACT: Record<KernelActivation, number> = { tanh: 0, sigmoid: 1, relu: 2, linear: 3, hardSigmoid: 4 };

/** Gates per architecture (LSTM: i, f, g, o; GRU: r, z, n). */
export function gateCount(architecture: KernelArchitecture): number {
  return architecture === 'lstm' ? 4 : architecture === 'gru' || architecture === 'gru-reset-before' ? 3 : 1;
}

/**
 * Fields of recurrent.c's Job in its order: sizes, then byte pointers (0 = absent). Their byte
 * offsets (JOB_LAYOUT) are generated from the struct by scripts/build-kernel.mjs, from clang's
 * own layout for wasm32, with the binary they belong to: a list kept by hand could disagree with
 * the struct and nothing would say so; `build-kernel.mjs --check` (CI) says so for this one.
 */
export type JobField = keyof typeof JOB_LAYOUT;
export const JOB_FIELDS = Object.keys(JOB_LAYOUT) as readonly JobField[];
export type Job = Partial<Record<JobField, number>>;

interface Exports {
  vg_gemm(M: number, N: number, K: number, A: number, sai: number, sak: number, B: number, ldb: number, C: number, ldc: number, acc: number): void;
  vg_forward(job: number): void;
  vg_backward(job: number): number;
  vg_profile(job: number): void;
  __heap_base: WebAssembly.Global;
}

let compiled: WebAssembly.Module | null = null;

function kernelModule(): WebAssembly.Module {
  if (!compiled) {
    const bytes = Uint8Array.from(atob(KERNEL_WASM_BASE64), (ch) => ch.charCodeAt(0));
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

const PAGE = 65536;

/**
 * One instance of the kernel with its own memory and a bump allocator. Float32Array views must be
 * taken after the last allocation (growing the memory detaches earlier views): `view` is cheap.
 */
export class RecurrentKernel {
  readonly memory: WebAssembly.Memory;
  private readonly fns: Exports;
  private top: number;
  /** The highest address ever allocated: below it, memory may hold values of released blocks. */
  private used: number;

  constructor() {
    this.memory = new WebAssembly.Memory({ initial: 64 });
    this.fns = new WebAssembly.Instance(kernelModule(), { env: { memory: this.memory } }).exports as unknown as Exports;
    this.top = align(this.fns.__heap_base.value as number);
    this.used = this.top;
  }

  /** The allocator's position, for `release`: what is allocated after it is scratch. */
  mark(): number {
    return this.top;
  }

  /** Gives back everything allocated since `mark` returned `at` (the memory keeps its size). */
  release(at: number): void {
    this.top = at;
  }

  /** Room for n float32 (zeroed), 16-byte aligned; returns its byte address. */
  alloc(n: number): number {
    const ptr = this.top;
    this.top = align(ptr + 4 * Math.max(1, n));
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
    // Memory given back by `release` holds old values; fresh pages are zero already.
    if (ptr < this.used) new Uint8Array(this.memory.buffer, ptr, Math.min(this.top, this.used) - ptr).fill(0);
    this.used = Math.max(this.used, this.top);
    return ptr;
  }

  /** A fresh view of n float32 at a byte address. */
  view(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  /** Writes a Job struct (every field 32 bits, at its JOB_LAYOUT offset; absent = 0) and returns its address. */
  job(fields: Job): number {
    const ptr = this.alloc(JOB_SIZE / 4);
    const words = new Int32Array(this.memory.buffer, ptr, JOB_SIZE / 4);
    for (const name of JOB_FIELDS) words[JOB_LAYOUT[name] / 4] = fields[name] ?? 0;
    return ptr;
  }

  forward(job: number): void {
    this.fns.vg_forward(job);
  }

  /** Loss of the last forward pass (run with keep = 1) and every gradient into the job's buffers. */
  backward(job: number): number {
    return this.fns.vg_backward(job);
  }

  /**
   * After a forward pass run with keep = 1: ∂L/∂s_t into the job's dstate [T, B, S] and ∂L/∂x_t
   * into gx [T, B, D], for L = Σ h_{T−1} (the temporal gradient profile of src/probes). whhT must
   * hold G·H·max(H, D) floats.
   */
  profile(job: number): void {
    this.fns.vg_profile(job);
  }

  /** C[M, N] (+)= A·B with A(i, k) = A[i·sai + k·sak] and B [K, N] of row stride ldb (addresses in bytes, strides in floats). */
  gemm(M: number, N: number, K: number, A: number, sai: number, sak: number, B: number, ldb: number, C: number, ldc: number, accumulate: boolean): void {
    this.fns.vg_gemm(M, N, K, A, sai, sak, B, ldb, C, ldc, accumulate ? 1 : 0);
  }
}

/** Codes of recurrent.c for an architecture and its activations. */
export function kernelCodes(architecture: KernelArchitecture, activation: KernelActivation, recurrentActivation: KernelActivation): Job {
  return { arch: ARCH[architecture], act: ACT[activation], ract: ACT[recurrentActivation] };
}

const align = (n: number): number => Math.ceil(n / 16) * 16;
