import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveBackend } from '../backend/resolve.js';
import { ConfigError } from '../config/errors.js';
import { readConfigFile } from '../config/file.js';
import { createParams } from '../models/params.js';
import { buildTfModel } from '../models/tf-model.js';
import { type ChainProfile, chainProfile } from '../numerics/jacobian-chain.js';
import { oracleRun } from '../oracle/run.js';
import { FLOAT32_MIN_NORMAL, type FlaggedLog10Series, type Float32Overflow, float32Log10Tolerance, log10Disagreement } from '../numerics/log-norm.js';
import type { Tolerance } from '../numerics/close.js';
import { type ModelProfile, type ProfileQuantity, temporalProfile } from '../probes/gradient-profile.js';
import { seriesByDistance } from '../claims/judge.js';
import { renderLineChartSvg } from '../report/plot.js';
import { writeAtomic } from '../report/atomic.js';
import { profileFloors, stateWidth } from '../probes/forward.js';
import { float32Arithmetic } from '../backend/float32.js';
import { outputDirs, outsideNodeModules } from './paths.js';

export const PROFILE_HELP = `Usage: vg profile --config FILE [--out FILE.svg] [--backend NAME]

The temporal gradient profile of one configuration: log10 ‖∂L/∂h_t‖ and ‖∂L/∂x_t‖ for
L = Σ h_{T−1} (‖∂L/∂s_t‖, s_t = [h_t; c_t], for the LSTM), from tfjs (float32) and from the
float64 oracle, printed as a table and drawn as an SVG. FILE is a JSON object with any
ModelConfig fields; the others take the document's demo values (architecture rnn, tanh,
H = D = 100, T = 50, U(−0.1, 0.1)). The plot goes to FILE.svg, or to ./reports/profile.svg
under the current directory.

Where float32 fails, the tfjs columns say so instead of printing a number: "underflow" (every
entry below float32's normal range, 0 included) and "overflow" (±∞ or NaN, or computed from
one: after a forward overflow every tfjs value but the seed ∂L/∂h_{T−1} = 1 is). A footer
names the quantity and the first step that overflowed. A tfjs value farther from float64 than
float32 rounding explains is marked ≠ with the gap; the footer states the tolerance and its
derivation.

Exit status: 0 when the profile was measured, whether or not float32 underflowed, overflowed
or disagreed with float64 (the flags are the result); 2 for bad input.`;

/** `vg profile`: prints the profile of one configuration and writes its plot. */
export async function runProfile(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { config: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' } }, strict: true });
  if (!values.config) throw new ConfigError('--config', undefined, 'a JSON file with the configuration');
  if (values.out !== undefined && !values.out.endsWith('.svg')) throw new ConfigError('--out', values.out, 'a path ending in .svg');
  const out = values.out === undefined ? join(outputDirs().root, 'profile.svg') : outsideNodeModules('--out', values.out);
  const config = readConfigFile(values.config);
  const backend = await resolveBackend(values.backend ?? process.env.VG_BACKEND, { announce: true });
  const params = createParams(config);
  const model = buildTfModel([params]);
  const S = stateWidth(model);
  // Products per entry of the widest dot product in a step: the gates' G·H from h_{t−1} plus D from x_t.
  const terms = (model.wHh.shape[2] as number) + config.inputSize;
  const floors = profileFloors(model);
  let profile;
  try {
    profile = await temporalProfile(model);
  } finally {
    model.dispose();
  }
  const chain = chainProfile(oracleRun(params));
  const T = config.seqLength;
  const lstm = config.architecture === 'lstm';
  const table = profileTable({ gradState: profile.gradState[0], gradInput: profile.gradInput[0], firstOverflow: profile.firstOverflow[0] }, chain, { stateWidth: S, inputWidth: config.inputSize, lstm, terms, floors, flushes: float32Arithmetic().flushesSubnormals });
  process.stdout.write(`backend ${backend.name}; ${JSON.stringify(config)}\n${table.join('\n')}\n`);
  const svg = await renderLineChartSvg({
    title: `Temporal gradient profile: ${config.architecture} H${config.hiddenSize} T${T}`,
    xTitle: 'distance from the last step',
    yTitle: 'log10 norm',
    series: [
      seriesByDistance(`‖∂L/∂${lstm ? 's' : 'h'}_t‖ (tfjs)`, profile.gradState[0].log10),
      seriesByDistance(`‖∂L/∂${lstm ? 's' : 'h'}_t‖ (float64)`, chain.log10GradState, true),
      seriesByDistance('‖∂L/∂x_t‖ (tfjs)', profile.gradInput[0].log10),
      seriesByDistance('‖∂L/∂x_t‖ (float64)', chain.log10GradInput, true),
    ],
  });
  mkdirSync(dirname(out), { recursive: true });
  writeAtomic(out, svg);
  process.stdout.write(`plot: ${out}\n`);
  return 0;
}

/** What profileTable needs to know about the configuration besides the series. */
export interface ProfileTableShape {
  /** Width of s_t (2H for the LSTM), for the underflow rule of log10Disagreement. */
  readonly stateWidth: number;
  readonly inputWidth: number;
  /** Labels the state column s_t = [h_t; c_t] instead of h_t. */
  readonly lstm: boolean;
  /** Products per entry of the widest dot product of a step: float32Log10Tolerance's `terms`. */
  readonly terms: number;
  /** The backend's underflow floors of both series (probes/forward.ts profileFloors): what underflow may take from a norm. */
  readonly floors?: { readonly state: number; readonly input: number };
  /** The backend flushes float32 subnormals to zero (src/backend/float32.ts): the footer then names the floors. */
  readonly flushes?: boolean;
}

/**
 * The table `vg profile` prints, by distance from the last step, and its footer: "underflow" and
 * "overflow" instead of numbers where float32 failed, ≠ and the gap where tfjs and float64
 * disagree beyond the tolerance, then which quantity overflowed first and where, and the tolerance.
 */
export function profileTable(tfjs: ModelProfile, float64: ChainProfile, shape: ProfileTableShape): string[] {
  const T = tfjs.gradState.log10.length;
  const tolerance = float32Log10Tolerance(T, shape.terms);
  const s = shape.lstm ? 's_t' : 'h_t';
  const state = { name: `‖∂L/∂${s}‖`, tfjs: tfjs.gradState, f64: float64.log10GradState, width: shape.stateWidth, floor: shape.floors?.state ?? 0 };
  const input = { name: '‖∂L/∂x_t‖', tfjs: tfjs.gradInput, f64: float64.log10GradInput, width: shape.inputWidth, floor: shape.floors?.input ?? 0 };
  const columns = [state, input].map((c) => ({ ...c, differs: log10Disagreement(c.tfjs, c.f64, c.width, tolerance, c.floor) }));
  const cell = (series: FlaggedLog10Series, t: number): string => (series.overflow[t] ? 'overflow' : series.log10[t] === null ? 'underflow' : (series.log10[t] as number).toFixed(3));
  const heads = columns.flatMap((c) => [`log10${c.name} (tfjs)`, '(float64)']);
  const rows = [['distance', ...heads, `tfjs vs float64 (±${tolerance.atol.toExponential(1)})`].join('  ')];
  const gaps: { name: string; t: number; gap: number }[] = [];
  for (let t = T - 1; t >= 0; t--) {
    const marks: string[] = [];
    const cells = columns.flatMap((c, i) => {
      const a = c.tfjs.log10[t], e = c.f64[t];
      if (c.differs[t]) {
        const gap = a === null ? Infinity : Math.abs(a - e);
        gaps.push({ name: c.name, t, gap });
        marks.push(`≠ ${c.name} ${a === null ? 'underflow' : `by ${gap.toFixed(3)}`}`);
      }
      return [cell(c.tfjs, t).padStart(heads[2 * i].length), e.toFixed(3).padStart(heads[2 * i + 1].length)];
    });
    rows.push([String(T - 1 - t).padStart(8), ...cells, marks.join(', ')].join('  ').trimEnd());
  }
  const flushed = shape.flushes ? columns : [];
  return [...rows, ...underflowFooter(columns, T, flushed), ...overflowFooter(tfjs.firstOverflow, s, T), ...agreementFooter(gaps, columns, tolerance, shape.terms, T, flushed)];
}

function underflowFooter(columns: ReadonlyArray<{ name: string; tfjs: FlaggedLog10Series }>, T: number, flushed: ReadonlyArray<{ name: string; floor: number }>): string[] {
  const parts = columns.flatMap((c) => {
    const n = c.tfjs.underflow.filter(Boolean).length;
    return n === 0 ? [] : [`${c.name} at ${n} of ${T} steps (nearest the end: distance ${T - 1 - c.tfjs.underflow.lastIndexOf(true)})`];
  });
  const floors = flushed.length === 0 ? '' : `, or, as this backend flushes float32 subnormals to zero, a norm below what the products it lost can make up: ${flushed.map((c) => `${c.name} ${c.floor.toExponential(1)}`).join(', ')}`;
  return parts.length === 0 ? [] : [`float32 underflow (every entry below ${FLOAT32_MIN_NORMAL.toExponential(1)}${floors}; shown as underflow): ${parts.join('; ')}.`];
}

function overflowFooter(first: Float32Overflow<ProfileQuantity> | null, s: string, T: number): string[] {
  if (first === null || first.step === null) return [];
  const at = `step t = ${first.step} (distance ${T - 1 - first.step})`;
  if (first.quantity === 'forward state s_t') return [`float32 overflow: the forward state ${s} first held ±∞ or NaN at ${at}; every tfjs value computed through it (all but ∂L/∂h_${T - 1} = 1) shows as overflow. The float64 columns are the oracle's.`];
  if (first.quantity === 'backward ∂L/∂s_t') return [`float32 overflow: the backward ∂L/∂${s} first held ±∞ or NaN at ${at}; it and every earlier step show as overflow in both tfjs columns.`];
  return [`float32 overflow: the backward ∂L/∂x_t first held ±∞ or NaN at ${at}; the steps that did show as overflow.`];
}

function agreementFooter(gaps: ReadonlyArray<{ name: string; t: number; gap: number }>, columns: ReadonlyArray<{ tfjs: FlaggedLog10Series }>, tolerance: Tolerance, terms: number, T: number, flushed: readonly unknown[]): string[] {
  const compared = columns.reduce((n, c) => n + c.tfjs.overflow.filter((o) => !o).length, 0);
  const atol = tolerance.atol.toExponential(2);
  const verdict = gaps.length === 0
    ? `tfjs vs float64: agree within ${atol} decades at ${compared === 1 ? 'the one value' : `all ${compared} values`} compared (overflowed values are not).`
    : (() => {
        const worst = gaps.reduce((a, b) => (b.gap > a.gap ? b : a));
        return `tfjs vs float64: ${gaps.length} of ${compared} values compared (overflowed values are not) DIFFER by more than ${atol} decades (marked ≠; largest: ${worst.name} at distance ${T - 1 - worst.t}, ${Number.isFinite(worst.gap) ? `${worst.gap.toFixed(3)} decades` : 'underflow in float32, normal range in float64'}).`;
      })();
  return [verdict, `  tolerance: |tfjs − float64| ≤ atol + rtol·|float64| in log10 decades, rtol 0 (a relative error of a norm is a constant shift of its log10); atol = log10(1 + 2T·γ_n) = ${atol}, γ_n = n·u/(1 − n·u), u = 2⁻²⁴, n = ${terms} products per entry of a step's widest dot product, T = ${T}: float32 rounding over T forward and T backward steps, unamplified (Higham, Accuracy and Stability of Numerical Algorithms, §3.1).${flushed.length > 0 ? ' Near the underflow floor, atol grows by log10(1 + floor/min(‖tfjs‖, ‖float64‖)) decades: what the products flushed to zero can take from a norm.' : ''}`];
}
