import type { RegionRecord } from './region-record.js';

/**
 * Verdicts and regions in words (issue 23), for CLAIMS.md and the verdict figure: plain ASCII
 * words rather than emoji or symbol glyphs, which show as empty boxes where no emoji font is
 * installed, and which a reader without colour cannot tell apart.
 */

/** A claim's or region's verdict in words, wherever a reader sees one: CLAIMS.md, the figures, the site, the Allure status message. */
export const VERDICT_WORD: Readonly<Record<string, string>> = {
  holds: 'holds',
  refuted: 'refuted',
  conditional: 'conditional',
  mixed: 'split',
  'budget-limited': 'budget-limited',
  'numerically-broken': 'numerically broken',
  undetermined: 'undetermined',
  'outside-premise': 'outside the premise',
  untested: 'untested',
  pending: 'pending',
};

/** The word for a verdict; an unknown one reads as itself. */
export const verdictWord = (v: string): string => VERDICT_WORD[v] ?? v;

/** Premise-region verdicts in the order a phrase lists them. */
const PHRASE_ORDER = ['holds', 'refuted', 'mixed', 'budget-limited', 'numerically-broken'] as const;
/** The longest description a phrase names a region by; a longer one is named by its id. */
const MAX_NAME = 60;
/** Regions named per verdict before the rest are counted ("and 3 more"); a training model and task, with its lags, counts as one. */
const NAMED_PER_VERDICT = 2;
const NAMED_TRAINING_ROWS = 1;

/**
 * A region's name for a reader: its description up to the sizes (`tanh at PyTorch's default`
 * from `tanh at PyTorch's default, H = D 16–100, T 30–100`); a training region's model, task
 * and lag from its id `task/model/lag-N` (`recall/rnn-demo lag 50`).
 */
export function regionShortName(r: Pick<RegionRecord, 'regionId' | 'region' | 'budgets'>): string {
  if (r.budgets !== undefined) {
    const [task, model, lag] = r.regionId.split('/');
    if (lag !== undefined) return `${task}/${model} ${lag.replace(/^lags?-/, lag.startsWith('lags') ? 'lags ' : 'lag ').replace(/(\d)-(\d)/, '$1–$2')}`;
  }
  const head = topLevelHead(r.region);
  return head.length > 0 && head.length <= MAX_NAME && !/^[HT]\b/.test(head) ? head : r.regionId.replace(/-/g, ' ');
}

/** The description before its first sizes (`, H …`, `, T …`, `; seeds …`), cut only outside parentheses. */
function topLevelHead(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === ',' || ch === ';') && /^[,;] (H\b|T\b|seeds\b)/.test(text.slice(i))) return text.slice(0, i).trim();
  }
  return text.trim();
}

/** `a; b and 2 more` */
function names(list: readonly string[], named: number): string {
  const shown = list.slice(0, named).join('; ');
  return list.length > named ? `${shown} and ${list.length - named} more` : shown;
}

/**
 * Where a claim holds and where it fails, in a phrase from its premise regions (boundary probes
 * never decide it): `holds: tanh at PyTorch's default; refuted: ReLU with identity W_hh`. Training
 * regions of one model and task are named once with their lags.
 */
export function wherePhrase(regions: readonly Pick<RegionRecord, 'regionId' | 'region' | 'budgets' | 'role' | 'measured'>[]): string {
  const premise = regions.filter((r) => (r.role ?? 'premise') === 'premise');
  if (premise.length === 0) return 'no premise region in this run';
  // A claim that holds on several premise regions holds on its whole premise: the claim's entry names them.
  if (premise.length > 1 && premise.every((r) => r.measured === 'holds')) return `holds: all ${premise.length} premise regions`;
  const parts: string[] = [];
  for (const v of PHRASE_ORDER) {
    const these = premise.filter((r) => r.measured === v);
    if (these.length === 0) continue;
    const everywhere = these.length === premise.length && premise.length > NAMED_PER_VERDICT ? `all ${premise.length} regions: ` : '';
    parts.push(`${verdictWord(v)}: ${everywhere}${names(groupTraining(these), these[0].budgets === undefined ? NAMED_PER_VERDICT : NAMED_TRAINING_ROWS)}`);
  }
  return parts.join('. ');
}

/** Region names, a training model and task once with all its lags (`recall/rnn-demo lags 50, 100`). */
function groupTraining(regions: readonly Pick<RegionRecord, 'regionId' | 'region' | 'budgets'>[]): string[] {
  const rows = new Map<string, string[]>();
  const out: string[] = [];
  for (const r of regions) {
    const m = r.budgets !== undefined ? /^([^/]+)\/([^/]+)\/lag-(\d+)$/.exec(r.regionId) : null;
    if (!m) {
      out.push(regionShortName(r));
      continue;
    }
    const row = `${m[1]}/${m[2]}`;
    if (!rows.has(row)) {
      rows.set(row, []);
      out.push(row);
    }
    rows.get(row)!.push(m[3]);
  }
  return out.map((n) => (rows.has(n) ? `${n} lag${rows.get(n)!.length > 1 ? 's' : ''} ${rows.get(n)!.join(', ')}` : n));
}

/**
 * What a training region's models did, from its seeds' solvedAt (a number: learned within the
 * cap): `learned 5/5`, `learned 2/5`, `did not learn 0/5`, and by a smaller budget when given
 * (`learned 3/5 (5/5 by 4000)`); null when the record has no solvedAt (a region over several
 * lags). Said positively, whatever the claim predicts, so a grid never reads as a double negative.
 */
export function learnedText(r: Pick<RegionRecord, 'seeds'>, by?: number): string | null {
  const seeds = r.seeds ?? [];
  if (seeds.length === 0 || seeds.some((s) => s.solvedAt === undefined)) return null;
  const k = seeds.filter((s) => typeof s.solvedAt === 'number').length;
  const early = by === undefined ? '' : ` (${seeds.filter((s) => typeof s.solvedAt === 'number' && s.solvedAt <= by).length}/${seeds.length} by ${by})`;
  return `${k === 0 ? 'did not learn' : 'learned'} ${k}/${seeds.length}${early}`;
}

/**
 * Whether a training claim's verdict is whether the models learned: 'learned' when every seed of
 * every region holds exactly when it learned within the cap (VG-GATED-LEARNS), 'not learned' when
 * exactly when it did not (VG-CORE-NO-LONG-LEARNING); null otherwise. Read from the records, so a
 * grid can show what the models did instead of the verdict on a negated claim.
 */
export function learningSense(regions: readonly Pick<RegionRecord, 'seeds'>[]): 'learned' | 'not learned' | null {
  const seeds = regions.flatMap((r) => r.seeds ?? []);
  if (seeds.length === 0 || seeds.some((s) => s.solvedAt === undefined)) return null;
  const decided = seeds.filter((s) => s.holds !== null);
  if (decided.length === 0) return null;
  if (decided.every((s) => s.holds === (typeof s.solvedAt === 'number'))) return 'learned';
  if (decided.every((s) => s.holds === (s.solvedAt === null))) return 'not learned';
  return null;
}
