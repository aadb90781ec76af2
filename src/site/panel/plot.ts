import type { PanelProfile } from './compute.js';

/**
 * The panel's plot as SVG markup: log10 ‖∂L/∂s_t‖ (solid, broken where the oracle flags a step)
 * and the γ bound (dashed, so it reads without colour) against the distance from the last step.
 * A viewBox and width 100%: the plot scales with the page, from 390 px phones to desktops; the
 * text's size in viewBox units is set by the CSS (panel-styles.ts), larger on narrow screens so it stays
 * at least 12 px where the plot shrinks to a 390 px phone.
 */
const W = 560,
  H = 330;
const M = { left: 72, right: 12, top: 12, bottom: 56 };
const FLAGGED = '#b00020';

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

const label = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3))));

/** Runs of consecutive numbers as polyline point lists, so a flagged step breaks the line instead of being drawn. */
function segments(ys: ReadonlyArray<number | null>, x: (d: number) => number, y: (v: number) => number): string[] {
  const out: string[] = [];
  let run: string[] = [];
  ys.forEach((v, d) => {
    if (v === null) {
      if (run.length > 0) out.push(run.join(' '));
      run = [];
    } else run.push(`${x(d).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (run.length > 0) out.push(run.join(' '));
  return out;
}

/** The plot of one panel profile. */
export function profileSvg(p: PanelProfile): string {
  const T = p.distances.length;
  const measured = p.log10.filter((v): v is number => v !== null);
  const bound = p.bound.filter((v): v is number => v !== null);
  const lo0 = Math.min(...measured, ...bound);
  const hi0 = Math.max(...measured);
  // The bound may climb hundreds of decades (γ > 1): extend the axis by at most the profile's own span, and clip.
  const span = Math.max(hi0 - lo0, 1);
  const hi1 = Math.min(Math.max(hi0, ...bound), hi0 + span);
  const [lo, hi] = measured.length === 0 ? [-1, 1] : [lo0 - 0.05 * span, hi1 + 0.05 * span];
  const x = (d: number): number => M.left + (T <= 1 ? 0 : (d / (T - 1)) * (W - M.left - M.right));
  const y = (v: number): number => M.top + ((hi - v) / (hi - lo)) * (H - M.top - M.bottom);
  const parts: string[] = [];
  for (const v of ticks(lo, hi)) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="vg-grid"/>`);
    parts.push(`<text x="${M.left - 4}" y="${y(v).toFixed(1)}" dominant-baseline="middle" text-anchor="end">${label(v)}</text>`);
  }
  for (const d of ticks(0, T - 1).filter((d) => Number.isInteger(d))) {
    parts.push(`<text x="${x(d).toFixed(1)}" y="${H - M.bottom + 6}" dominant-baseline="hanging" text-anchor="middle">${d}</text>`);
  }
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 4}" text-anchor="middle">distance from the last step (T−1−t)</text>`);
  parts.push(
    `<text transform="translate(4 ${(M.top + H - M.bottom) / 2}) rotate(-90)" dominant-baseline="hanging" text-anchor="middle">log10 ‖∂L/∂s_t‖</text>`,
  );
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" class="vg-frame"/>`);
  const clip = `<clipPath id="vg-panel-clip"><rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}"/></clipPath>`;
  const lines: string[] = [];
  for (const pts of segments(p.bound, x, y)) lines.push(`<polyline points="${pts}" class="vg-bound"/>`);
  for (const pts of segments(p.log10, x, y)) lines.push(`<polyline points="${pts}" class="vg-measured"/>`);
  // A lone point between flags would draw nothing as a line: mark every value with a dot when there are few.
  if (T <= 60)
    p.log10.forEach((v, d) => {
      if (v !== null) lines.push(`<circle cx="${x(d).toFixed(1)}" cy="${y(v).toFixed(1)}" r="1.8" class="vg-dot"/>`);
    });
  // Flagged steps are marked on the axis, never drawn as values: × for float64 overflow, ○ for an exact 0.
  p.flags.forEach((flag, d) => {
    if (flag === null) return;
    const cx = x(d).toFixed(1),
      cy = H - M.bottom - 6;
    lines.push(
      flag === 'overflow'
        ? `<path d="M${cx} ${cy} m-3 -3 l6 6 m0 -6 l-6 6" stroke="${FLAGGED}" stroke-width="1.5"><title>distance ${d}: float64 overflow</title></path>`
        : `<circle cx="${cx}" cy="${cy}" r="3" fill="none" stroke="${FLAGGED}" stroke-width="1.5"><title>distance ${d}: exactly 0 in float64</title></circle>`,
    );
  });
  const title = `<title>log10 ‖∂L/∂s_t‖ against distance, ${p.config.architecture} H=${p.config.hiddenSize} T=${T}</title>`;
  return (
    `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" class="vg-plot" ` +
    `xmlns="http://www.w3.org/2000/svg">${title}<defs>${clip}</defs>${parts.join('')}<g ` +
    `clip-path="url(#vg-panel-clip)">${lines.join('')}</g></svg>`
  );
}
