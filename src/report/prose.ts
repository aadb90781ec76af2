import type { NumberStats, RegionRecord } from './region-record.js';

/**
 * Measured numbers in a claim's prose (boundary, predicate, reading) come from the run's records,
 * never copied by hand (issue 22): the text names them with placeholders, filled when a summary or
 * a report is written.
 *
 *   {{region|number|stat}}   stat: range (default), min, max, median; e.g. {{chrono|meanForgetGate}}
 *   {{region|holds}}         counts: holds, fails, cases (those the verdict reads), runs (every case)
 *
 * A placeholder whose region or number the run did not record is written as "(not measured in this
 * run)", so a partial run never shows a stale number; specs/cli/prose.test.ts checks that every
 * placeholder of the registry resolves against the published claims.json.
 */

/** One placeholder of a text. */
export interface Placeholder {
  readonly text: string;
  readonly region: string;
  readonly name: string;
  readonly stat: 'range' | 'min' | 'max' | 'median' | null;
}

const PATTERN = /\{\{([^|{}]+)\|([^|{}]+)(?:\|([^|{}]+))?\}\}/g;
const COUNTS = new Set(['holds', 'fails', 'cases', 'runs']);
const STATS = new Set(['range', 'min', 'max', 'median']);

/** The placeholders of a text, in order. */
export function placeholders(text: string): Placeholder[] {
  return [...text.matchAll(PATTERN)].map((m) => {
    const stat = m[3] ?? (COUNTS.has(m[2]) ? null : 'range');
    if (stat !== null && !STATS.has(stat)) throw new RangeError(`placeholder ${m[0]}: stat should be one of ${[...STATS].join(', ')}, got "${stat}"`);
    return { text: m[0], region: m[1].trim(), name: m[2].trim(), stat: stat as Placeholder['stat'] };
  });
}

/** What the run did not record, in the text's place. */
export const NOT_MEASURED_TEXT = '(not measured in this run)';

/** 3 significant digits, as the records keep them; exponent form for very large or small values. */
function num(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2).replace(/\.?0+e/, 'e') : String(v);
}

function statText(s: NumberStats, stat: NonNullable<Placeholder['stat']>): string | null {
  if (stat === 'median') return s.median === null ? null : num(s.median);
  if (stat === 'min') return s.min === null ? null : num(s.min);
  if (stat === 'max') return s.max === null ? null : num(s.max);
  if (s.min === null || s.max === null) return null;
  return s.min === s.max ? num(s.min) : `${num(s.min)}–${num(s.max)}`;
}

/** The value a placeholder stands for in a claim's records, or null when they do not hold it. */
export function resolve(p: Placeholder, records: readonly RegionRecord[]): string | null {
  const r = records.find((x) => x.regionId === p.region);
  if (!r) return null;
  if (p.stat === null) {
    const cases = r.counts.holds + r.counts.fails + r.counts.broken;
    return String(p.name === 'holds' ? r.counts.holds : p.name === 'fails' ? r.counts.fails : p.name === 'cases' ? cases : r.runs);
  }
  const s = r.stats?.[p.name];
  return s ? statText(s, p.stat) : null;
}

/**
 * The text with every placeholder filled from a claim's records; where they do not hold it,
 * `missing` (default NOT_MEASURED_TEXT: a report written while the claim's other regions are still
 * running passes its own words instead).
 */
export function fillProse(text: string, records: readonly RegionRecord[], missing: (p: Placeholder) => string = () => NOT_MEASURED_TEXT): string {
  const list = placeholders(text);
  let out = text;
  for (const p of list) out = out.replace(p.text, resolve(p, records) ?? missing(p));
  return out;
}
