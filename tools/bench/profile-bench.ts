import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { DEMO_CONFIG, type ModelConfig, PYTORCH_GATED_DEFAULTS, makeConfig } from '../../src/config/types.js';
import { createParams, type ModelParams } from '../../src/models/params.js';
import { buildTfModel, type TfModel } from '../../src/models/tf-model.js';
import { isCloseLog10 } from '../../src/numerics/close.js';
import { chainDemo, chainProfile, type ChainProfile } from '../../src/numerics/jacobian-chain.js';
import { oracleRun } from '../../src/oracle/run.js';
import { demoProfile, demoProfilePerTimestep } from '../../src/probes/demo.js';
import { temporalProfile } from '../../src/probes/gradient-profile.js';
import { buildKernelProfileModel, temporalProfileKernel } from '../../src/probes/gradient-profile-kernel.js';
import { activeBackend, type BenchBackend, growthBasis, restoreBackend, switchBackend } from './backend.js';
import { type LinearFit, linearFit, median } from './stats.js';

/**
 * Benchmark of the temporal gradient profile, three ways:
 *  (a) the document's method: one backward pass per timestep (demoProfilePerTimestep), one configuration;
 *  (b) the one-pass profile (temporalProfile) of one configuration;
 *  (c) the one-pass profile of C configurations of one shape (different seeds, so different
 *      weights and inputs) in one call; its time is divided by C. Timed twice: on the kernel
 *      engine (gradient-profile-kernel.ts, the fused WebAssembly kernel), which the gradient
 *      claims run and the targets read, and with tfjs ops (temporalProfile on a batched tfjs
 *      model), the reference the kernel is checked against.
 * Before anything is timed, all of them are checked to agree numerically (log10 norms).
 */

export const BENCH_ARCHITECTURES = ['rnn', 'lstm', 'gru'] as const;
export type BenchArchitecture = (typeof BENCH_ARCHITECTURES)[number];

export interface BenchOptions {
  readonly backends: readonly BenchBackend[];
  readonly architectures: readonly BenchArchitecture[];
  readonly hiddenSize: number;
  readonly inputSize: number;
  readonly seqLength: number;
  /** C, the number of configurations evaluated together by (c). */
  readonly batch: number;
  /** Untimed runs of each method before timing. */
  readonly warmup: number;
  /** Timed runs of each method; the median is reported. */
  readonly repeats: number;
  /** Sequence lengths for the growth-in-T check of (b) and (c) on the vanilla RNN; empty skips it. */
  readonly scalingLengths: readonly number[];
  /** Agreement tolerance on log10 norms, in decades. */
  readonly toleranceDecades: number;
  /** Called with a short line as each stage starts (the script writes these to stderr). */
  readonly onProgress?: (message: string) => void;
}

/** The setting: the document's demo (H 100, D 100, T 50), C = 32, T up to 400. */
export const FULL_BENCH_OPTIONS: Omit<BenchOptions, 'onProgress'> = {
  backends: ['wasm', 'cpu', 'node'],
  architectures: ['rnn', 'lstm', 'gru'],
  hiddenSize: DEMO_CONFIG.hiddenSize,
  inputSize: DEMO_CONFIG.inputSize,
  seqLength: DEMO_CONFIG.seqLength,
  batch: 32,
  warmup: 1,
  repeats: 7,
  scalingLengths: [50, 100, 200, 400],
  toleranceDecades: 1e-3,
};

/** --quick: the same sizes with fewer timed runs. */
export const QUICK_BENCH_OPTIONS: Omit<BenchOptions, 'onProgress'> = { ...FULL_BENCH_OPTIONS, repeats: 3 };

/** The targets of the issue. */
export const TARGET_SPEEDUP = 500;
export const TARGET_MS_PER_CONFIG = 1.0;
/** Growth in T counts as linear when t(T_max)/t(T_min) ≤ slack·T_max/T_min and the affine fit has R² ≥ this. */
export const LINEAR_RATIO_SLACK = 9 / 8;
export const LINEAR_MIN_R2 = 0.99;

export interface EnvironmentInfo {
  readonly node: string;
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly tfjs: string;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
}

/** One numerical comparison: every point must satisfy |log10 a − log10 e| ≤ tolerance (underflow never matches). */
export interface AgreementCheck {
  readonly backend: BenchBackend;
  readonly architecture: BenchArchitecture;
  readonly name: string;
  readonly points: number;
  /** Largest |Δ log10| over the points; Infinity when a point is null (underflowed) or non-finite. */
  readonly maxDiffDecades: number;
  readonly mismatches: number;
  readonly passed: boolean;
}

export interface Timing {
  /** Wall time of each timed run of the whole call, ms. */
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
  /**
   * CPU time of this process (user + system, all threads) during each run, ms. Both backends
   * compute on the main thread, so on a shared machine this is steadier than wall time:
   * time spent waiting for a core is not counted.
   */
  readonly cpuSamplesMs: readonly number[];
  readonly medianCpuMs: number;
  /**
   * CPU time of the main thread alone during each run, ms (Linux: /proc/self/task/<pid>/schedstat),
   * or null where that file cannot be read. The profile's loop runs on the main thread; V8's
   * helper threads add process CPU time beside it: in a bench run's growth check on wasm, (b)'s
   * process CPU was 1.66× its wall time at T = 400 and 1.12× at T = 50, and with V8's
   * concurrent recompilation off (node --no-concurrent-recompilation) process CPU and wall time
   * agreed within 10% at both lengths (three runs each): the difference is the optimising compiler's thread.
   */
  readonly threadSamplesMs: readonly number[] | null;
  readonly medianThreadMs: number | null;
  /** Configurations the call evaluates (1 for (a) and (b), C for (c)). */
  readonly configs: number;
  readonly medianMsPerConfig: number;
  readonly medianCpuMsPerConfig: number;
  readonly medianThreadMsPerConfig: number | null;
}

export interface MethodTimings {
  readonly backend: BenchBackend;
  readonly architecture: BenchArchitecture;
  readonly hiddenSize: number;
  readonly seqLength: number;
  readonly perTimestep: Timing;
  readonly onePass: Timing;
  /** (c) with tfjs ops: the reference. */
  readonly batched: Timing;
  /** (c) on the kernel engine (gradient-profile-kernel.ts): what the gradient claims run. */
  readonly batchedKernel: Timing;
  /** Median over runs of (a)_r / ((c, tfjs ops)_r / C): the runs are interleaved, so each ratio is taken within one window. */
  readonly ratioPerTimestepToBatched: number;
  /** Median over runs of (b)_r / ((c, tfjs ops)_r / C). */
  readonly ratioOnePassToBatched: number;
  /** The same as ratioPerTimestepToBatched in process CPU time. */
  readonly cpuRatioPerTimestepToBatched: number;
  /** Median over runs of (a)_r / ((c, kernel engine)_r / C): the target's ratio. */
  readonly ratioPerTimestepToBatchedKernel: number;
}

export interface LinearityCheck {
  /** The time the verdict uses: the main thread's CPU time when it can be read and the backend computes on it, else the process's (see Timing, backend.ts growthBasis). */
  readonly basis: 'main-thread CPU' | 'process CPU';
  /** Fit of `basis` ms per configuration against T. */
  readonly fit: LinearFit;
  /** t(T_max) / t(T_min) in process CPU time (all threads), for information. */
  readonly processCpuTimeRatio: number;
  /** The same fit and ratio in wall time, for information. */
  readonly wallFit: LinearFit;
  readonly wallTimeRatio: number;
  readonly lengthRatio: number;
  /** t(T_max) / t(T_min). */
  readonly timeRatio: number;
  readonly maxTimeRatio: number;
  readonly linear: boolean;
}

export interface ScalingPoint {
  readonly seqLength: number;
  /** Calls per timed sample: T_max / T, so that every sample covers the same number of steps. */
  readonly callsPerSample: number;
  readonly onePass: Timing;
  /** (c) with tfjs ops. */
  readonly batched: Timing;
  /** (c) on the kernel engine. */
  readonly batchedKernel: Timing;
}

export interface ScalingResult {
  readonly backend: BenchBackend;
  readonly points: readonly ScalingPoint[];
  readonly onePass: LinearityCheck;
  readonly batched: LinearityCheck;
  readonly batchedKernel: LinearityCheck;
}

export interface TargetCheck {
  readonly name: string;
  readonly detail: string;
  readonly met: boolean;
}

export interface BenchResult {
  readonly options: Omit<BenchOptions, 'onProgress'>;
  readonly environment: EnvironmentInfo;
  readonly agreement: readonly AgreementCheck[];
  /** True when every agreement check passed; timings are only taken then. */
  readonly agreed: boolean;
  readonly timings: readonly MethodTimings[];
  readonly scaling: readonly ScalingResult[];
  readonly targets: readonly TargetCheck[];
  /** (a)/(c) on wasm for the vanilla RNN, (c) on the kernel engine, when that was timed. */
  readonly headline: { readonly backend: BenchBackend; readonly ratio: number; readonly batch: number } | null;
  /** Tensors alive after the run minus before (0 unless a probe leaks). */
  readonly leakedTensors: number;
}

/** The benchmark's configuration of an architecture: the demo for rnn, PyTorch's gated defaults for lstm/gru. */
export function benchConfig(
  architecture: BenchArchitecture,
  options: Pick<BenchOptions, 'hiddenSize' | 'inputSize'>,
  seqLength: number,
  seedOffset = 0,
): ModelConfig {
  const sizes = { hiddenSize: options.hiddenSize, inputSize: options.inputSize, seqLength, seed: DEMO_CONFIG.seed + seedOffset };
  return architecture === 'rnn' ? makeConfig(sizes) : makeConfig({ architecture, ...PYTORCH_GATED_DEFAULTS, ...sizes });
}

/** C configurations of one shape: seeds seed, seed+1, …; the first is the one (a) and (b) use. */
function batchParams(architecture: BenchArchitecture, options: BenchOptions, seqLength: number): ModelParams[] {
  return Array.from({ length: options.batch }, (_, k) => createParams(benchConfig(architecture, options, seqLength, k)));
}

function compareSeries(
  backend: BenchBackend,
  architecture: BenchArchitecture,
  name: string,
  actual: ReadonlyArray<number | null>,
  expected: ReadonlyArray<number | null>,
  tolerance: number,
): AgreementCheck {
  let maxDiff = actual.length === expected.length ? 0 : Infinity;
  let mismatches = actual.length === expected.length ? 0 : Math.max(actual.length, expected.length);
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    const a = actual[i];
    const e = expected[i];
    const diff = a === null || e === null || !Number.isFinite(a) || !Number.isFinite(e) ? Infinity : Math.abs(a - e);
    maxDiff = Math.max(maxDiff, diff);
    if (!isCloseLog10(a, e, tolerance)) mismatches++;
  }
  return { backend, architecture, name, points: Math.max(actual.length, expected.length), maxDiffDecades: maxDiff, mismatches, passed: mismatches === 0 };
}

interface OracleValues {
  readonly demoFirst: number[];
  readonly profileFirst: ChainProfile;
  readonly profileLast: ChainProfile;
}

async function withModels<T>(params: readonly ModelParams[], body: (single: TfModel, batched: TfModel) => Promise<T>): Promise<T> {
  const single = buildTfModel([params[0]]);
  const batched = buildTfModel(params);
  try {
    return await body(single, batched);
  } finally {
    single.dispose();
    batched.dispose();
  }
}

async function checkAgreement(backend: BenchBackend, architecture: BenchArchitecture, options: BenchOptions, oracle: OracleValues): Promise<AgreementCheck[]> {
  const { seqLength: T, batch: C, toleranceDecades: tol } = options;
  const params = batchParams(architecture, options, T);
  return withModels(params, async (single, batched) => {
    const [a] = await demoProfilePerTimestep(single);
    const [demoOnePass] = await demoProfile(single);
    const b = await temporalProfile(single);
    const c = await temporalProfile(batched);
    const bSeries = [...b.gradState[0].log10, ...b.gradInput[0].log10];
    const check = (name: string, actual: ReadonlyArray<number | null>, expected: ReadonlyArray<number | null>): AgreementCheck =>
      compareSeries(backend, architecture, name, actual, expected, tol);
    return [
      check('(a) demo ‖∂Σh_t/∂x_0‖, t=0..T−1, vs float64 oracle', a.log10, oracle.demoFirst),
      check('(a) demo vs its one-pass form (demoProfile)', a.log10, demoOnePass.log10),
      check('(a) at t=T−1 vs (b) ‖∂L/∂x_0‖ (the same derivative)', [a.log10[T - 1]], [b.gradInput[0].log10[0]]),
      check('(b) ‖∂L/∂s_t‖ and ‖∂L/∂x_t‖ vs float64 oracle', bSeries, [...oracle.profileFirst.log10GradState, ...oracle.profileFirst.log10GradInput]),
      check('(c) config 0 of C vs (b), same config', [...c.gradState[0].log10, ...c.gradInput[0].log10], bSeries),
      check(
        `(c) config ${C - 1} of C vs its float64 oracle`,
        [...c.gradState[C - 1].log10, ...c.gradInput[C - 1].log10],
        [...oracle.profileLast.log10GradState, ...oracle.profileLast.log10GradInput],
      ),
      check('(c) on the kernel engine vs (c), all C configs', series(temporalProfileKernel(buildKernelProfileModel(params))), series(c)),
    ];
  });
}

/** Every configuration's ‖∂L/∂s_t‖ then ‖∂L/∂x_t‖ series, in one list. */
function series(p: {
  gradState: readonly { log10: readonly (number | null)[] }[];
  gradInput: readonly { log10: readonly (number | null)[] }[];
}): (number | null)[] {
  return p.gradState.flatMap((s, k) => [...s.log10, ...p.gradInput[k].log10]);
}

export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly threadMs: number | null;
}

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;

/** The main thread's CPU time so far, ms (the first field of schedstat is in ns), or null off Linux. */
function mainThreadCpuMs(): number | null {
  try {
    const ns = Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

export async function timeCall(run: () => Promise<unknown>): Promise<Sample> {
  const threadStart = mainThreadCpuMs();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await run();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const threadEnd = mainThreadCpuMs();
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, threadMs: threadStart === null || threadEnd === null ? null : threadEnd - threadStart };
}

export function timingOf(samples: readonly Sample[], configs: number): Timing {
  const samplesMs = samples.map((s) => s.wallMs);
  const cpuSamplesMs = samples.map((s) => s.cpuMs);
  const threadSamplesMs = samples.every((s) => s.threadMs !== null) ? samples.map((s) => s.threadMs as number) : null;
  const medianMs = median(samplesMs);
  const medianCpuMs = median(cpuSamplesMs);
  const medianThreadMs = threadSamplesMs ? median(threadSamplesMs) : null;
  return {
    samplesMs,
    medianMs,
    cpuSamplesMs,
    medianCpuMs,
    threadSamplesMs,
    medianThreadMs,
    configs,
    medianMsPerConfig: medianMs / configs,
    medianCpuMsPerConfig: medianCpuMs / configs,
    medianThreadMsPerConfig: medianThreadMs === null ? null : medianThreadMs / configs,
  };
}

/**
 * Times named calls interleaved: warm-up runs of each, then `repeats` rounds in which each
 * call runs once in turn, so all of them see the same stretch of a noisy machine.
 */
export async function timeInterleaved(calls: ReadonlyArray<() => Promise<unknown>>, warmup: number, repeats: number): Promise<Sample[][]> {
  for (let w = 0; w < warmup; w++) for (const call of calls) await call();
  const samples = calls.map(() => [] as Sample[]);
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < calls.length; i++) samples[i].push(await timeCall(calls[i]));
  }
  return samples;
}

async function timeMethods(backend: BenchBackend, architecture: BenchArchitecture, options: BenchOptions): Promise<MethodTimings> {
  const { seqLength: T, batch: C } = options;
  const params = batchParams(architecture, options, T);
  const kernelModel = buildKernelProfileModel(params);
  return withModels(params, async (single, batched) => {
    const [a, b, c, k] = await timeInterleaved(
      [() => demoProfilePerTimestep(single), () => temporalProfile(single), () => temporalProfile(batched), async () => temporalProfileKernel(kernelModel)],
      options.warmup,
      options.repeats,
    );
    return {
      backend,
      architecture,
      hiddenSize: options.hiddenSize,
      seqLength: T,
      perTimestep: timingOf(a, 1),
      onePass: timingOf(b, 1),
      batched: timingOf(c, C),
      batchedKernel: timingOf(k, C),
      ratioPerTimestepToBatched: median(a.map((v, r) => v.wallMs / (c[r].wallMs / C))),
      ratioPerTimestepToBatchedKernel: median(a.map((v, r) => v.wallMs / (k[r].wallMs / C))),
      ratioOnePassToBatched: median(b.map((v, r) => v.wallMs / (c[r].wallMs / C))),
      cpuRatioPerTimestepToBatched: median(a.map((v, r) => v.cpuMs / (c[r].cpuMs / C))),
    };
  });
}

export function linearity(
  lengths: readonly number[],
  timings: readonly Timing[],
  preferred: 'main-thread CPU' | 'process CPU' = 'main-thread CPU',
): LinearityCheck {
  const first = lengths.indexOf(Math.min(...lengths));
  const last = lengths.indexOf(Math.max(...lengths));
  const lengthRatio = lengths[last] / lengths[first];
  const thread = timings.map((t) => t.medianThreadMsPerConfig);
  const cpu = timings.map((t) => t.medianCpuMsPerConfig);
  const basis = preferred === 'main-thread CPU' && thread.every((v) => v !== null) ? 'main-thread CPU' : 'process CPU';
  const judged = basis === 'main-thread CPU' ? (thread as number[]) : cpu;
  const wall = timings.map((t) => t.medianMsPerConfig);
  const timeRatio = judged[last] / judged[first];
  const maxTimeRatio = LINEAR_RATIO_SLACK * lengthRatio;
  const fit = linearFit(lengths, judged);
  return {
    basis,
    fit,
    processCpuTimeRatio: cpu[last] / cpu[first],
    wallFit: linearFit(lengths, wall),
    wallTimeRatio: wall[last] / wall[first],
    lengthRatio,
    timeRatio,
    maxTimeRatio,
    linear: timeRatio <= maxTimeRatio && fit.r2 >= LINEAR_MIN_R2,
  };
}

/** `call` run `times` times in a row, as one timed call. */
export function repeated(call: () => Promise<unknown>, times: number): () => Promise<void> {
  return async () => {
    for (let i = 0; i < times; i++) await call();
  };
}

/** Samples of `calls` calls each, as samples of one call. */
export function perCall(samples: readonly Sample[], calls: number): Sample[] {
  return samples.map((s) => ({ wallMs: s.wallMs / calls, cpuMs: s.cpuMs / calls, threadMs: s.threadMs === null ? null : s.threadMs / calls }));
}

async function timeScaling(backend: BenchBackend, options: BenchOptions): Promise<ScalingResult> {
  const points: ScalingPoint[] = [];
  const longest = Math.max(...options.scalingLengths);
  for (const T of options.scalingLengths) {
    options.onProgress?.(`${backend}: growth in T, T=${T}`);
    const params = batchParams('rnn', options, T);
    // Every sample covers the same number of steps: at T = 50 a sample runs the call 8 times,
    // at T = 400 once. A 2 ms sample mostly falls between garbage collections and a 25 ms one
    // never does, so single calls compared the short sequence's cost without its share of GC
    // with the long one's cost with it (two bench runs of the same code: (b)'s wall-time ratio
    // t(400)/t(50) read 13.1 with one call per sample, 8.05 with equal work per sample).
    const calls = Math.max(1, Math.round(longest / T));
    // (b) and (c) are timed one after the other here, not interleaved: no ratio between them is
    // taken, and (c)'s large allocations would otherwise tax (b)'s runs with their garbage collection.
    const point = await withModels(params, async (single, batched) => {
      const [b] = await timeInterleaved([repeated(() => temporalProfile(single), calls)], options.warmup, options.repeats);
      const [c] = await timeInterleaved([repeated(() => temporalProfile(batched), calls)], options.warmup, options.repeats);
      const kernelModel = buildKernelProfileModel(params); // uploaded before timing, as the tfjs models are
      const [k] = await timeInterleaved([repeated(async () => temporalProfileKernel(kernelModel), calls)], options.warmup, options.repeats);
      return {
        seqLength: T,
        callsPerSample: calls,
        onePass: timingOf(perCall(b, calls), 1),
        batched: timingOf(perCall(c, calls), options.batch),
        batchedKernel: timingOf(perCall(k, calls), options.batch),
      };
    });
    points.push(point);
  }
  const lengths = points.map((p) => p.seqLength);
  // The kernel engine computes on the main thread whatever the backend; tfjs ops on node do not.
  return {
    backend,
    points,
    onePass: linearity(
      lengths,
      points.map((p) => p.onePass),
      growthBasis(backend),
    ),
    batched: linearity(
      lengths,
      points.map((p) => p.batched),
      growthBasis(backend),
    ),
    batchedKernel: linearity(
      lengths,
      points.map((p) => p.batchedKernel),
    ),
  };
}

function targetsOf(timings: readonly MethodTimings[], scaling: readonly ScalingResult[], batch: number): TargetCheck[] {
  const targets: TargetCheck[] = [];
  const wasmRnn = timings.find((t) => t.backend === 'wasm' && t.architecture === 'rnn');
  if (wasmRnn) {
    const ratio = wasmRnn.ratioPerTimestepToBatchedKernel;
    targets.push({
      name:
        `(a)/(c) ≥ ${TARGET_SPEEDUP}× on wasm (rnn H=${wasmRnn.hiddenSize}, T=${wasmRnn.seqLength}, ` +
        `C=${batch}; (c) on the kernel engine, as the gradient claims run it)`,
      detail: `${ratio.toFixed(1)}× (with (c) on tfjs ops, the reference: ${wasmRnn.ratioPerTimestepToBatched.toFixed(1)}×)`,
      met: ratio >= TARGET_SPEEDUP,
    });
    const perConfig = wasmRnn.batchedKernel.medianMsPerConfig;
    targets.push({
      name: `(c) ≤ ${TARGET_MS_PER_CONFIG} ms per configuration on wasm (kernel engine)`,
      detail: `${perConfig.toFixed(3)} ms (tfjs ops: ${wasmRnn.batched.medianMsPerConfig.toFixed(3)} ms)`,
      met: perConfig <= TARGET_MS_PER_CONFIG,
    });
  }
  for (const s of scaling) {
    for (const [label, check] of [
      ['(b)', s.onePass],
      ['(c) kernel engine', s.batchedKernel],
      ['(c) tfjs ops', s.batched],
    ] as const) {
      targets.push({
        name: `${label} linear in T on ${s.backend}`,
        detail:
          `${check.basis} time ` +
          `t(T=${Math.max(...s.points.map((p) => p.seqLength))})/t(T=${Math.min(...s.points.map((p) => p.seqLength))}) ` +
          `= ${check.timeRatio.toFixed(2)} (≤ ${check.maxTimeRatio.toFixed(1)}), R² = ${check.fit.r2.toFixed(4)} ` +
          `(≥ ${LINEAR_MIN_R2}); wall-time ratio ${check.wallTimeRatio.toFixed(2)}, process CPU ratio ` +
          `${check.processCpuTimeRatio.toFixed(2)}`,
        met: check.linear,
      });
    }
  }
  return targets;
}

function environmentInfo(loadAverageStart: readonly number[]): EnvironmentInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpuCount: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    tfjs: tf.version_core,
    loadAverageStart,
    loadAverageEnd: os.loadavg(),
  };
}

function validate(options: BenchOptions): void {
  const positive = {
    hiddenSize: options.hiddenSize,
    inputSize: options.inputSize,
    seqLength: options.seqLength,
    batch: options.batch,
    repeats: options.repeats,
  };
  for (const [key, value] of Object.entries(positive)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`bench: ${key} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(options.warmup) || options.warmup < 0) throw new RangeError(`bench: warmup must be a non-negative integer, got ${options.warmup}`);
  if (options.scalingLengths.some((T) => !Number.isInteger(T) || T < 1)) throw new RangeError('bench: scaling lengths must be positive integers');
  if (options.scalingLengths.length === 1 || (options.scalingLengths.length > 1 && new Set(options.scalingLengths).size < 2)) {
    throw new RangeError('bench: the growth-in-T check needs at least two different lengths (or none)');
  }
  if (!(options.toleranceDecades > 0)) throw new RangeError('bench: toleranceDecades must be positive');
}

/**
 * Runs the benchmark: agreement checks on every backend and architecture first; the
 * timings only when all of them pass. Restores the backend that was active before.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  validate(options);
  const { onProgress, ...plain } = options;
  const loadAverageStart = os.loadavg();
  const originalBackend = activeBackend();
  const tensorsBefore = tf.memory().numTensors;
  const agreement: AgreementCheck[] = [];
  const timings: MethodTimings[] = [];
  const scaling: ScalingResult[] = [];
  try {
    const oracles = new Map<BenchArchitecture, OracleValues>();
    for (const architecture of options.architectures) {
      onProgress?.(`float64 oracle: ${architecture}`);
      const first = oracleRun(createParams(benchConfig(architecture, options, options.seqLength, 0)));
      const last = oracleRun(createParams(benchConfig(architecture, options, options.seqLength, options.batch - 1)));
      oracles.set(architecture, { demoFirst: chainDemo(first), profileFirst: chainProfile(first), profileLast: chainProfile(last) });
    }
    for (const backend of options.backends) {
      await switchBackend(backend);
      for (const architecture of options.architectures) {
        onProgress?.(`${backend}: agreement, ${architecture}`);
        agreement.push(...(await checkAgreement(backend, architecture, options, oracles.get(architecture)!)));
      }
    }
    const agreed = agreement.every((c) => c.passed);
    if (agreed) {
      for (const backend of options.backends) {
        await switchBackend(backend);
        for (const architecture of options.architectures) {
          onProgress?.(`${backend}: timing (a), (b), (c), ${architecture}`);
          timings.push(await timeMethods(backend, architecture, options));
        }
        if (options.scalingLengths.length > 0) scaling.push(await timeScaling(backend, options));
      }
    }
    const wasmRnn = timings.find((t) => t.backend === 'wasm' && t.architecture === 'rnn');
    return {
      options: plain,
      environment: environmentInfo(loadAverageStart),
      agreement,
      agreed,
      timings,
      scaling,
      targets: targetsOf(timings, scaling, options.batch),
      headline: wasmRnn ? { backend: 'wasm', ratio: wasmRnn.ratioPerTimestepToBatchedKernel, batch: options.batch } : null,
      leakedTensors: tf.memory().numTensors - tensorsBefore,
    };
  } finally {
    await restoreBackend(originalBackend);
  }
}
