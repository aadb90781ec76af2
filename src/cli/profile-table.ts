import type { ChainProfile, Float64Flags, Float64Overflow } from '../numerics/jacobian-chain.js';
import { FLOAT32_MIN_NORMAL, type FlaggedLog10Series, type Float32Overflow, float32Log10Tolerance, log10Disagreement } from '../numerics/log-norm.js';
import type { Tolerance } from '../numerics/close.js';
import type { ModelProfile, ProfileQuantity } from '../probes/gradient-profile.js';

/**
 * The table `vg profile` prints: every number backed or flagged. tfjs (float32) cells read
 * "underflow" or "overflow" where float32 failed; float64 cells read "overflow" where the oracle
 * itself overflowed (or the value was computed through such a value) and "zero" where float64
 * computed exactly 0; footers name each failure's quantity and first step.
 */

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
  const state = {
    name: `‖∂L/∂${s}‖`,
    tfjs: tfjs.gradState,
    f64: float64.log10GradState,
    flags: float64.state,
    width: shape.stateWidth,
    floor: shape.floors?.state ?? 0,
  };
  const input = {
    name: '‖∂L/∂x_t‖',
    tfjs: tfjs.gradInput,
    f64: float64.log10GradInput,
    flags: float64.input,
    width: shape.inputWidth,
    floor: shape.floors?.input ?? 0,
  };
  const columns = [state, input].map((c) => ({ ...c, differs: log10Disagreement(c.tfjs, c.f64, c.width, tolerance, c.floor, c.flags.overflow) }));
  const cell = (series: FlaggedLog10Series, t: number): string =>
    series.overflow[t] ? 'overflow' : series.log10[t] === null ? 'underflow' : (series.log10[t] as number).toFixed(3);
  const f64Cell = (c: (typeof columns)[number], t: number): string => (c.flags.overflow[t] ? 'overflow' : c.flags.zero[t] ? 'zero' : c.f64[t].toFixed(3));
  const heads = columns.flatMap((c) => [`log10${c.name} (tfjs)`, '(float64)']);
  const rows = [['distance', ...heads, `tfjs vs float64 (±${tolerance.atol.toExponential(1)})`].join('  ')];
  const gaps: Gap[] = [];
  for (let t = T - 1; t >= 0; t--) {
    const marks: string[] = [];
    const cells = columns.flatMap((c, i) => {
      const a = c.tfjs.log10[t],
        e = c.f64[t];
      if (c.differs[t]) {
        // Either side may be a flag rather than a number: float32 underflow against a float64 value in range, or a float32 value against a float64 exact 0.
        const gap = a === null || e === -Infinity ? Infinity : Math.abs(a - e);
        const why = a === null ? 'underflow in float32, normal range in float64' : e === -Infinity ? 'a value in float32, exactly 0 in float64' : null;
        gaps.push({ name: c.name, t, gap, why });
        marks.push(`≠ ${c.name} ${a === null ? 'underflow' : e === -Infinity ? 'against float64 zero' : `by ${gap.toFixed(3)}`}`);
      }
      return [cell(c.tfjs, t).padStart(heads[2 * i].length), f64Cell(c, t).padStart(heads[2 * i + 1].length)];
    });
    rows.push([String(T - 1 - t).padStart(8), ...cells, marks.join(', ')].join('  ').trimEnd());
  }
  const flushed = shape.flushes ? columns : [];
  return [
    ...rows,
    ...underflowFooter(columns, T, flushed),
    ...overflowFooter(tfjs.firstOverflow, s, T),
    ...float64Footer(float64.firstOverflow, columns, s, T),
    ...agreementFooter(gaps, columns, tolerance, shape.terms, T, flushed),
  ];
}

/** What the float64 columns could not give: the oracle's own overflow (quantity, first step, what it poisons) and exact zeros. */
function float64Footer(first: Float64Overflow | null, columns: ReadonlyArray<{ name: string; flags: Float64Flags }>, s: string, T: number): string[] {
  const lines: string[] = [];
  if (first !== null) {
    const at = `step t = ${first.step} (distance ${T - 1 - first.step})`;
    const what =
      first.quantity === 'forward state s_t'
        ? `the oracle's forward state ${s}`
        : first.quantity === 'backward ∂L/∂s_t'
          ? `the oracle's backward ∂L/∂${s}`
          : `the oracle's ${first.quantity}`;
    const reach =
      first.quantity === 'backward ∂L/∂s_t'
        ? 'it and every earlier step show'
        : first.quantity === 'backward ∂L/∂x_t'
          ? 'the steps that did show'
          : `every float64 value computed through it (all but the seed ∂L/∂${s.replace('_t', `_${T - 1}`)}) shows`;
    lines.push(`float64 overflow: ${what} first held ±∞ or NaN at ${at}; ${reach} as overflow, and tfjs is not compared there (no reference).`);
  }
  const zeros = columns.flatMap((c) => {
    const n = c.flags.zero.filter(Boolean).length;
    return n === 0 ? [] : [`${c.name} at ${n} of ${T} steps (nearest the end: distance ${T - 1 - c.flags.zero.lastIndexOf(true)})`];
  });
  if (zeros.length > 0)
    lines.push(`float64 zero (exactly 0 in float64: a slope that rounds to 0, a saturated gate or a ReLU unit off; shown as zero): ${zeros.join('; ')}.`);
  return lines;
}

function underflowFooter(
  columns: ReadonlyArray<{ name: string; tfjs: FlaggedLog10Series }>,
  T: number,
  flushed: ReadonlyArray<{ name: string; floor: number }>,
): string[] {
  const parts = columns.flatMap((c) => {
    const n = c.tfjs.underflow.filter(Boolean).length;
    return n === 0 ? [] : [`${c.name} at ${n} of ${T} steps (nearest the end: distance ${T - 1 - c.tfjs.underflow.lastIndexOf(true)})`];
  });
  const floors =
    flushed.length === 0
      ? ''
      : `, or, as this backend flushes float32 subnormals to zero, a norm below what the products it lost can ` +
        `make up: ${flushed.map((c) => `${c.name} ${c.floor.toExponential(1)}`).join(', ')}`;
  return parts.length === 0
    ? []
    : [`float32 underflow (every entry below ${FLOAT32_MIN_NORMAL.toExponential(1)}${floors}; shown as underflow): ${parts.join('; ')}.`];
}

function overflowFooter(first: Float32Overflow<ProfileQuantity> | null, s: string, T: number): string[] {
  if (first === null || first.step === null) return [];
  const at = `step t = ${first.step} (distance ${T - 1 - first.step})`;
  if (first.quantity === 'forward state s_t')
    return [
      `float32 overflow: the forward state ${s} first held ±∞ or NaN at ${at}; every tfjs value computed ` +
        `through it (all but ∂L/∂h_${T - 1} = 1) shows as overflow. The float64 columns are the oracle's.`,
    ];
  if (first.quantity === 'backward ∂L/∂s_t')
    return [`float32 overflow: the backward ∂L/∂${s} first held ±∞ or NaN at ${at}; it and every earlier step show as overflow in both tfjs columns.`];
  return [`float32 overflow: the backward ∂L/∂x_t first held ±∞ or NaN at ${at}; the steps that did show as overflow.`];
}

/** A value where tfjs and float64 disagree: the gap in decades, or why there is no number (`why`, gap Infinity). */
interface Gap {
  readonly name: string;
  readonly t: number;
  readonly gap: number;
  readonly why: string | null;
}

function agreementFooter(
  gaps: readonly Gap[],
  columns: ReadonlyArray<{ tfjs: FlaggedLog10Series; flags: Float64Flags }>,
  tolerance: Tolerance,
  terms: number,
  T: number,
  flushed: readonly unknown[],
): string[] {
  const compared = columns.reduce((n, c) => n + c.tfjs.overflow.filter((o, t) => !o && !c.flags.overflow[t]).length, 0);
  const atol = tolerance.atol.toExponential(2);
  const verdict =
    compared === 0
      ? 'tfjs vs float64: no value compared (every one overflowed in float32 or in float64).'
      : gaps.length === 0
        ? `tfjs vs float64: agree within ${atol} decades at ` +
          `${compared === 1 ? 'the one value' : `all ${compared} values`} compared (overflowed values, in either, are not).`
        : (() => {
            const worst = gaps.reduce((a, b) => (b.gap > a.gap ? b : a));
            return (
              `tfjs vs float64: ${gaps.length} of ${compared} values compared (overflowed values, in either, are ` +
              `not) DIFFER by more than ${atol} decades (marked ≠; largest: ${worst.name} at distance ` +
              `${T - 1 - worst.t}, ${worst.why ?? `${worst.gap.toFixed(3)} decades`}).`
            );
          })();
  return [
    verdict,
    `  tolerance: |tfjs − float64| ≤ atol + rtol·|float64| in log10 decades, rtol 0 (a relative error of ` +
      `a norm is a constant shift of its log10); atol = log10(1 + 2T·γ_n) = ${atol}, γ_n = n·u/(1 − n·u), u ` +
      `= 2⁻²⁴, n = ${terms} products per entry of a step's widest dot product, T = ${T}: float32 rounding ` +
      `over T forward and T backward steps, unamplified (Higham, Accuracy and Stability of Numerical ` +
      `Algorithms, §3.1).${flushed.length > 0 ? ' Near the underflow floor, atol grows by log10(1 + floor/min(‖tfjs‖, ‖float64‖)) decades: what the products flushed to zero can take from a norm.' : ''}`,
  ];
}
