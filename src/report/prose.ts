import type { NumberStats, RegionRecord } from './region-record.js';

/**
 * Measured numbers in a claim's prose (boundary, predicate, reading) come from the run's records,
 * never copied by hand (issue 22): the text names them with placeholders, filled when a summary or
 * a report is written.
 *
 *   {{region|number|stat}}   stat: range (default), min, max, median; e.g. {{chrono|meanForgetGate}}
 *   {{region|holds}}         counts: holds, fails, cases (those the verdict reads), runs (every case)
 *
 * `region` may hold `*` (any characters but none): the placeholder then stands for every region
 * that matches, counts summed and min/max/range taken over all of them (a median over several
 * regions is not defined and is refused); e.g. {{recall/rnn-demo/lag-*|holds}} for the demo
 * initialisation's recall runs at every lag. A pattern that matches no region is "not measured".
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

/** Whether a placeholder's region (a name, or a pattern with `*`) names this region id. */
export function regionMatches(pattern: string, id: string): boolean {
  if (!pattern.includes('*')) return pattern === id;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(id);
}

/** The value a placeholder stands for in a claim's records, or null when they do not hold it. */
export function resolve(p: Placeholder, records: readonly RegionRecord[]): string | null {
  const rs = records.filter((x) => regionMatches(p.region, x.regionId));
  if (rs.length === 0) return null;
  if (p.stat === null) {
    const sum = (f: (r: RegionRecord) => number): number => rs.reduce((n, r) => n + f(r), 0);
    const cases = sum((r) => r.counts.holds + r.counts.fails + r.counts.broken);
    return String(
      p.name === 'holds' ? sum((r) => r.counts.holds) : p.name === 'fails' ? sum((r) => r.counts.fails) : p.name === 'cases' ? cases : sum((r) => r.runs),
    );
  }
  const stats = rs.map((r) => r.stats?.[p.name]).filter((x): x is NumberStats => x !== undefined);
  if (stats.length === 0) return null;
  if (stats.length === 1) return statText(stats[0], p.stat);
  if (p.stat === 'median') throw new RangeError(`placeholder ${p.text}: a median over ${stats.length} regions is not defined; use min, max or range`);
  const mins = stats.map((x) => x.min).filter((v): v is number => v !== null);
  const maxs = stats.map((x) => x.max).filter((v): v is number => v !== null);
  if (mins.length === 0 || maxs.length === 0) return null;
  return statText(
    {
      min: Math.min(...mins),
      max: Math.max(...maxs),
      median: null,
      cases: stats.reduce((n, x) => n + x.cases, 0),
      missing: stats.reduce((n, x) => n + x.missing, 0),
    },
    p.stat,
  );
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
