import type { ModelConfig } from '../config/types.js';
import { createParams, type ModelParams } from '../models/params.js';
import { chainDemo, chainProfile } from '../numerics/jacobian-chain.js';
import type { Log10Series } from '../numerics/log-norm.js';
import { type OracleRun, oracleRun } from '../oracle/run.js';
import { demoProfile } from '../probes/demo.js';
import { temporalProfile } from '../probes/gradient-profile.js';
import { type SaturationStats, saturationStats } from '../probes/saturation.js';
import { jacobianNorms } from '../probes/spectra.js';
import { forEachShape } from './measure.js';

/** What the gradient-flow claims read off one configuration, measured once. */
export interface GradientEvidence {
  readonly config: ModelConfig;
  readonly params: ModelParams;
  /** tfjs (float32), one backward pass: log10 ‖∂L/∂s_t‖ for L = Σ h_{T−1}, underflow flagged. */
  readonly profile: Log10Series;
  /** tfjs, batched: log10 ‖∂(Σ h_t)/∂x_0‖, the document's demo quantity (only when asked for). */
  readonly demo: Log10Series | null;
  /** float64 oracle, renormalised: log10 ‖∂L/∂s_t‖, never underflows. */
  readonly chain: readonly number[];
  /** float64 oracle: the demo quantity (computed on first read: it costs T matrix products). */
  readonly chainDemo: readonly number[];
  /** ‖∂s_t/∂s_{t−1}‖₂ for t = 1..T−1 (float64, Lanczos; computed on first read). */
  readonly gammas: readonly number[];
  /** σ′ statistics of the state update's pre-activations (tanh for LSTM and GRU). */
  readonly saturation: SaturationStats;
  readonly run: OracleRun;
}

const oracleCache = new Map<string, { params: ModelParams; run: OracleRun }>();

/** The float64 run of a configuration, memoised for the process (claims of a section share configurations). */
export function oracleOf(config: ModelConfig): { params: ModelParams; run: OracleRun } {
  const key = JSON.stringify(config);
  let hit = oracleCache.get(key);
  if (!hit) {
    const params = createParams(config);
    hit = { params, run: oracleRun(params) };
    if (oracleCache.size > 256) oracleCache.clear();
    oracleCache.set(key, hit);
  }
  return hit;
}

/**
 * Measures every configuration: the tfjs temporal profile (and demo quantity when `demo`)
 * in one batched pass per shape, and the float64 chain, γ_t and saturation from the oracle.
 */
export async function gradientEvidence(configs: readonly ModelConfig[], { demo = false } = {}): Promise<GradientEvidence[]> {
  const measured = await forEachShape(configs, async (model) => {
    const profile = await temporalProfile(model);
    const demos = demo ? await demoProfile(model) : null;
    return profile.gradState.map((p, c) => ({ profile: p, demo: demos ? demos[c] : null }));
  });
  return configs.map((config, i) => {
    const { params, run } = oracleOf(config);
    const gated = config.architecture === 'lstm' || config.architecture === 'gru';
    let demoCache: number[] | null = null;
    let gammaCache: number[] | null = null;
    return {
      config,
      params,
      run,
      profile: measured[i].profile,
      demo: measured[i].demo,
      chain: chainProfile(run).log10GradState,
      get chainDemo() {
        return (demoCache ??= chainDemo(run));
      },
      get gammas() {
        return (gammaCache ??= jacobianNorms(run));
      },
      saturation: saturationStats(gated ? 'tanh' : config.activation, run.steps.map((s) => s.preActivation)),
    };
  });
}

/** Mean decay in decades per step between the last step and the first: (y[T−1] − y[0]) / (T − 1); positive means decay toward early steps. */
export function decadesPerStep(log10: readonly number[]): number {
  const T = log10.length;
  return (log10[T - 1] - log10[0]) / (T - 1);
}

/** A short label of a configuration for tables. */
export function describeConfig(c: ModelConfig): string {
  const init = (s: ModelConfig['recurrentInit']): string =>
    s.kind === 'uniform' ? `U(${s.low},${s.high})` : s.kind === 'normal' ? `N(0,${s.std}²)` : s.kind === 'orthogonal' ? `orth(${s.gain})` : s.kind === 'identity' ? `I·${s.scale}` : s.kind;
  const cell = c.architecture === 'lstm' || c.architecture === 'gru' ? `${c.architecture}/${c.recurrentActivation}${c.architecture === 'lstm' ? `/fb:${c.forgetBias}` : ''}` : `${c.architecture}/${c.activation}`;
  return `${cell} H${c.hiddenSize} D${c.inputSize} T${c.seqLength} Whh~${init(c.recurrentInit)} seed ${c.seed}`;
}
