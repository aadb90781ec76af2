import type { ModelConfig } from '../config/types.js';
import { createParams, type ModelParams } from '../models/params.js';
import { chainDemo, chainProfile } from '../numerics/jacobian-chain.js';
import type { Log10Series } from '../numerics/log-norm.js';
import { type OracleRun, oracleRun } from '../oracle/run.js';
import { demoBatchLimit, demoProfile } from '../probes/demo.js';
import { type FlaggedTemporalProfile, temporalProfile } from '../probes/gradient-profile.js';
import { kernelProfile } from '../probes/gradient-profile-kernel.js';
import { type SaturationStats, saturationStats } from '../probes/saturation.js';
import { jacobianNorms } from '../probes/spectra.js';
import { forEachShape, forEachShapeParams } from './measure.js';
import type { RunCache } from '../engine/run-cache.js';
import { isJudgeable, type Judgeable, judgedSeries, type Measured } from '../engine/measured.js';

/**
 * What computes the float32 temporal profile: the fused WebAssembly kernel (the default: about
 * 3× faster per configuration than tfjs ops in a batch, and without tfjs's per-op cost for the
 * one or two configurations of a shape that a region usually draws), or tfjs ops on the tfjs
 * model. The two agree within float32 rounding for every cell on both backends
 * (specs/experiments/kernel-profile.test.ts); a claim whose subject is the tfjs computation
 * itself (VG-FLOW-PRODUCT) asks for tfjs.
 */
export type ProfileEngine = 'kernel' | 'tfjs';

/** What the gradient-flow claims read off one configuration, measured once. */
export interface GradientEvidence {
  readonly config: ModelConfig;
  readonly params: ModelParams;
  /** float32, one backward pass: log10 ‖∂L/∂s_t‖ for L = Σ h_{T−1}, underflow flagged; computed by `profileSource`. */
  readonly profile: Log10Series;
  /** float32, same pass: log10 ‖∂L/∂x_t‖. */
  readonly profileInput: Log10Series;
  /** Which float32 engine computed profile and profileInput. */
  readonly profileSource: 'tfjs-f32' | 'kernel-f32';
  /** tfjs, batched: log10 ‖∂(Σ h_t)/∂x_0‖, the document's demo quantity (only when asked for). */
  readonly demo: Log10Series | null;
  /** float64 oracle, renormalised: log10 ‖∂L/∂s_t‖, never underflows. */
  readonly chain: readonly number[];
  /** float64 oracle: the demo quantity (computed on first read, as every oracle field: it costs T matrix products). */
  readonly chainDemo: readonly number[];
  /** ‖∂s_t/∂s_{t−1}‖₂ for t = 1..T−1 (float64, Lanczos; computed on first read). */
  readonly gammas: readonly number[];
  /** σ′ statistics of the state update's pre-activations (tanh for LSTM and GRU). */
  readonly saturation: SaturationStats;
  readonly run: OracleRun;
}

interface Derived {
  readonly params: () => ModelParams;
  readonly run: () => OracleRun;
  readonly chain: () => number[];
  readonly chainDemo: () => number[];
  readonly gammas: () => number[];
  readonly saturation: () => SaturationStats;
}
interface Float32Measurements {
  readonly profile: Log10Series;
  readonly profileInput: Log10Series;
  readonly demo: Log10Series | null;
}

/** The float64 run of a configuration, memoised in the run's cache (claims of a section share configurations). */
export function oracleOf(config: ModelConfig, cache: RunCache): { params: ModelParams; run: OracleRun } {
  const d = derivedOf(config, cache);
  return { params: d.params(), run: d.run() };
}

const lazy = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

/** Every float64 quantity of a configuration, each computed on first use and kept for the run. */
function derivedOf(config: ModelConfig, cache: RunCache): Derived {
  // 64 entries: an entry keeps its float64 run (T per-step Jacobians, 4 MB at H = 100, T = 50);
  // 512 of them let VG-GAMMA-COMMON's and the mitigation claims' processes reach 1.7 GB resident.
  const oracle = cache.scope<Derived>('gradient-evidence/oracle', 64);
  const key = JSON.stringify(config);
  let hit = oracle.get(key);
  if (!hit) {
    const gated = config.architecture === 'lstm' || config.architecture === 'gru';
    const params = lazy(() => createParams(config));
    const run = lazy(() => oracleRun(params()));
    hit = {
      params,
      run,
      chain: lazy(() => chainProfile(run()).log10GradState),
      chainDemo: lazy(() => chainDemo(run())),
      gammas: lazy(() => jacobianNorms(run())),
      saturation: lazy(() =>
        saturationStats(
          gated ? 'tanh' : config.activation,
          run().steps.map((s) => s.preActivation),
        ),
      ),
    };
    oracle.set(key, hit);
  }
  return hit;
}

/**
 * Measures every configuration: the float32 temporal profile on `engine` (default the kernel),
 * and the demo quantity on the tfjs model when `demo`, in one batched pass per shape. The float64
 * oracle (chain, γ_t, saturation) is computed on first read only, so claims that need the float32
 * numbers alone never pay for it. Both are kept in the run's cache (the `cache` of the claim's
 * evaluation context), never beyond the run; each engine's measurements apart.
 */
export async function gradientEvidence(
  configs: readonly ModelConfig[],
  { demo = false, cache, engine = 'kernel' }: { readonly demo?: boolean; readonly cache: RunCache; readonly engine?: ProfileEngine },
): Promise<GradientEvidence[]> {
  const f32Cache = cache.scope<Float32Measurements>(`gradient-evidence/${engine}`, 2048);
  const keys = configs.map((c) => JSON.stringify(c));
  // The hits are read before anything is written: writing this batch may clear a full cache.
  const known = keys.map((k) => f32Cache.get(k));
  const missing = configs.filter((_, i) => {
    const hit = known[i];
    return !hit || (demo && !hit.demo);
  });
  const measured = (profile: FlaggedTemporalProfile, demos: readonly Log10Series[] | null): Float32Measurements[] =>
    profile.gradState.map((p, c) => ({ profile: p, profileInput: profile.gradInput[c], demo: demos ? demos[c] : null }));
  // With the demo quantity, a shape's configurations go in batches its memory allows (demoBatchLimit).
  const fresh =
    demo || engine === 'tfjs'
      ? await forEachShape(
          missing,
          async (model, params) => measured(engine === 'tfjs' ? await temporalProfile(model) : kernelProfile(params), demo ? await demoProfile(model) : null),
          demo ? demoBatchLimit : undefined,
        )
      : await forEachShapeParams(missing, async (params) => measured(kernelProfile(params), null));
  // Read this batch's measurements from `fresh` and the hits read above, never back from the cache:
  // a cache that fills up clears itself, which may drop entries this batch needs.
  const freshByKey = new Map(missing.map((c, i) => [JSON.stringify(c), fresh[i]] as const));
  missing.forEach((c, i) => f32Cache.set(JSON.stringify(c), fresh[i]));
  const profileSource = engine === 'tfjs' ? 'tfjs-f32' : 'kernel-f32';
  return configs.map((config, i) => {
    const m = freshByKey.get(keys[i]) ?? known[i];
    if (!m) throw new Error(`gradientEvidence: no float32 measurement for configuration ${keys[i]}`);
    return Object.defineProperties(oracleView(config, cache), {
      profile: { value: m.profile, enumerable: true },
      profileInput: { value: m.profileInput, enumerable: true },
      profileSource: { value: profileSource, enumerable: true },
      demo: { value: m.demo, enumerable: true },
    }) as GradientEvidence;
  });
}

/** The float64 side of the evidence alone, for claims that read no float32 measurement (no float32 pass is run). */
export type OracleEvidence = Omit<GradientEvidence, 'profile' | 'profileInput' | 'profileSource' | 'demo'>;

/** Every configuration's float64 quantities, each computed on first read and kept in the run's cache. */
export function oracleEvidence(configs: readonly ModelConfig[], { cache }: { readonly cache: RunCache }): OracleEvidence[] {
  return configs.map((config) => oracleView(config, cache));
}

/** One configuration's float64 quantities as lazy getters over the run's cache. */
function oracleView(config: ModelConfig, cache: RunCache): OracleEvidence {
  const d = derivedOf(config, cache);
  return {
    config,
    get params() {
      return d.params();
    },
    get run() {
      return d.run();
    },
    get chain() {
      return d.chain();
    },
    get chainDemo() {
      return d.chainDemo();
    },
    get gammas() {
      return d.gammas();
    },
    get saturation() {
      return d.saturation();
    },
  };
}

/** Evidence for each configuration's variants (same sizes, seed and inputs), measured in one batch: result[i][k] is variant k of configs[i]. */
export async function evidenceOfVariants(
  configs: readonly ModelConfig[],
  variants: readonly ((c: ModelConfig) => ModelConfig)[],
  { demo = false, cache }: { readonly demo?: boolean; readonly cache: RunCache },
): Promise<GradientEvidence[][]> {
  const ev = await gradientEvidence(
    configs.flatMap((c) => variants.map((v) => v(c))),
    { demo, cache },
  );
  return configs.map((_, i) => ev.slice(i * variants.length, (i + 1) * variants.length));
}

/**
 * A float32 Log10Series as a measured series of `source`: null where float32 underflowed, NaN
 * where it overflowed (so a value read from an overflowed step makes the case numerically broken).
 */
export function float32Series(s: Log10Series, source: 'tfjs-f32' | 'kernel-f32'): Measured {
  const overflow = s.overflow ?? s.log10.map((v) => v !== null && !Number.isFinite(v));
  return { values: s.log10.map((v, t) => (overflow[t] || (v !== null && !Number.isFinite(v)) ? NaN : v)), source, underflow: s.underflow, overflow };
}

/** A float32 series computed by tfjs ops (the demo quantity, or any tfjs probe's). */
export function tfjsSeries(s: Log10Series): Measured {
  return float32Series(s, 'tfjs-f32');
}

/** log10 ‖∂L/∂s_t‖ by step as measured, with the engine that measured it. */
export function profileSeries(e: GradientEvidence): Measured {
  return float32Series(e.profile, e.profileSource);
}

/** log10 ‖∂L/∂x_t‖ by step as measured, with the engine that measured it. */
export function profileInputSeries(e: GradientEvidence): Measured {
  return float32Series(e.profileInput, e.profileSource);
}

/** A float64 series of the oracle (finite by construction; a non-finite value is left in, so the judge calls it broken). */
export function oracleSeries(values: readonly number[]): Judgeable {
  return { values, source: 'oracle-f64', underflow: values.map(() => false), overflow: values.map(() => false) };
}

/**
 * The series a claim is judged on: the float32 values when every step is representable; the
 * float64 oracle's when some step only underflowed (its flags say which); and when float32
 * overflowed anywhere, the float32 series with NaN there, so the case is numerically broken: an
 * overflow in the model under test is never decided on the oracle instead.
 */
function judgedOf(float32: Measured, oracle: readonly number[]): Judgeable {
  if (float32.overflow.some(Boolean)) return { ...float32, values: float32.values.map((v) => v ?? NaN) };
  return isJudgeable(float32) ? float32 : judgedSeries(float32, oracleSeries(oracle));
}

/** log10 ‖∂L/∂s_t‖ by step, as judged (see judgedOf): float32 (kernel or tfjs), the float64 chain where float32 underflows. */
export function profileOf(e: GradientEvidence): Judgeable {
  return judgedOf(profileSeries(e), e.chain);
}

/** The demo quantity by distance, as judged (see judgedOf); the evidence must have been measured with `demo: true`. */
export function demoOf(e: GradientEvidence): Judgeable {
  if (!e.demo) throw new Error(`demoOf: the demo quantity of ${JSON.stringify(e.config)} was not measured (gradientEvidence with demo: true)`);
  return judgedOf(tfjsSeries(e.demo), e.chainDemo);
}

/** Defined in profile-rules.ts (no tfjs there, so the site's panel can read it). */
export { decadesPerStep } from './profile-rules.js';
