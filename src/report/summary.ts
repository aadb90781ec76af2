import type { Claim, ClaimVerdict, Domain, KeyNumberDeclaration, PendingClaim, RegionVerdict } from '../engine/types.js';
import { PREMISE_RULE, SECTIONS, UNCONDITIONAL, combine, expectedVerdict } from '../engine/types.js';
import { DECISION_RULE, compactMeaning } from './meaning.js';
import { fillProse } from './prose.js';
import { keyNumberPhrase } from './key-words.js';
import { type NumberRange, type RegionRecord, mergeRanges, recordKeyName } from './region-record.js';
import { type RunContext, runSelection, sectionsPath, writtenBy } from './run-context.js';
import { learnedText, learningSense, verdictWord, wherePhrase } from './verdict-words.js';

/**
 * The number a claim is judged by, over every case its records hold, beside the range the claim
 * states when it states one (issue 16: "gap 16.2–17.4 decades (claimed 6–10)").
 */
export interface KeyNumber {
  /** The evaluation's key: the one the claim declares (Claim.keyNumber), else as its first region's record names it (recordKeyName in region-record.ts). */
  readonly name: string;
  /** Smallest and largest finite value over the cases, and how many cases had none (an unsolved run's solvedAt). */
  readonly measured: NumberRange;
  /** The closed range the claim declares for it (Claim.keyNumber.claimed); null when it declares none. */
  readonly claimed: readonly [number, number] | null;
  /** True when some record holds its representative case only (written before records kept ranges). */
  readonly representativeOnly: boolean;
}

/** One claim in the published summary. */
export interface ClaimSummary {
  readonly id: string;
  readonly section: string;
  readonly kind: string;
  readonly statement: string;
  readonly predicate: string;
  readonly boundary: string | null;
  /** What the claim assumes of a case (engine/types.ts Premise); absent from summaries written before premises. */
  readonly premise?: string;
  /** How the project reads the document's words where it reinterprets them; null when it does not. */
  readonly reading?: string | null;
  /** From the premise regions' records alone (boundary probes never enter it). */
  readonly expected: ClaimVerdict;
  readonly measured: ClaimVerdict;
  /** Absent from summaries written before it existed; `keyNumberOf` computes it from the regions. */
  readonly keyNumber?: KeyNumber | null;
  /** The file that states the claim, relative to the package root (the README's table links to it); absent when unknown. */
  readonly source?: string;
  readonly regions: readonly RegionRecord[];
}

/** reports/claims.json: the verdict matrix, deterministic for a seed and a backend. */
export interface Summary {
  readonly document: string;
  readonly seed: number;
  /** A seed sweep's seeds (the first is `seed`), when the gradient regions' counts are pooled over them. */
  readonly seeds?: readonly number[];
  /** A sweep's regions whose verdict differed between seeds (`claim [region]`); empty when every seed agreed. */
  readonly unstable?: readonly string[];
  readonly backends: readonly string[];
  readonly totals: Readonly<Record<string, number>>;
  readonly mismatches: readonly string[];
  readonly claims: readonly ClaimSummary[];
  readonly pending: readonly PendingClaim[];
  /** The run that wrote it (report/run-context.ts); absent from summaries written before it existed, all by `npm run verify`. */
  readonly run?: RunContext;
}

/** A region's range of one key: from its record's key range, else every seed's solvedAt, else its representative case. */
export function regionRange(r: RegionRecord, name: string): { readonly range: NumberRange; readonly representativeOnly: boolean } | null {
  if (r.key?.name === name) return { range: r.key, representativeOnly: false };
  if (name === 'solvedAt' && r.seeds?.every((s) => s.solvedAt !== undefined)) {
    const solved = r.seeds.map((s) => s.solvedAt).filter((v): v is number => typeof v === 'number');
    return {
      range: {
        min: solved.length ? Math.min(...solved) : null,
        max: solved.length ? Math.max(...solved) : null,
        cases: r.seeds.length,
        missing: r.seeds.length - solved.length,
      },
      representativeOnly: false,
    };
  }
  const v = r.numbers[name];
  if (v !== null && typeof v !== 'number') return null;
  const finite = typeof v === 'number' && Number.isFinite(v);
  return { range: { min: finite ? v : null, max: finite ? v : null, cases: 1, missing: finite ? 0 : 1 }, representativeOnly: true };
}

/**
 * The claim's key number over all its regions (null when its evaluations report no number). Its
 * name and claimed range come from the claim's declaration when there is one (the registry's
 * claims all declare one); else from a summary's own keyNumber (a summary merged from shards);
 * else the name its records give (a user's claim that declares none: recordKeyName) and no
 * claimed range. Never from the predicate's words or the order of an evaluation's numbers.
 */
export function keyNumberOf(c: Pick<ClaimSummary, 'regions' | 'keyNumber'>, declared?: KeyNumberDeclaration): KeyNumber | null {
  const first = c.regions[0];
  const name = declared?.name ?? c.keyNumber?.name ?? (first === undefined ? null : recordKeyName(first));
  if (name === null) return null;
  const parts = c.regions.map((r) => regionRange(r, name)).filter((p): p is NonNullable<typeof p> => p !== null);
  return {
    name,
    measured: mergeRanges(parts.map((p) => p.range)),
    claimed: (declared ? declared.claimed : c.keyNumber?.claimed) ?? null,
    representativeOnly: parts.some((p) => p.representativeOnly),
  };
}

/** Joins the registry with the region records a run wrote; a region without a record is reported missing. */
export function buildSummary(
  claims: readonly Claim<Domain>[],
  pending: readonly PendingClaim[],
  records: readonly RegionRecord[],
  seed: number,
  seeds?: readonly number[],
  unstable: readonly string[] = [],
  run?: RunContext,
): Summary {
  const byKey = new Map(records.map((r) => [`${r.claimId}/${r.regionId}`, r]));
  const mismatches: string[] = [];
  const out: ClaimSummary[] = [];
  for (const claim of claims) {
    const regions = claim.regions.map((r) => byKey.get(`${claim.id}/${r.id}`)).filter((r): r is RegionRecord => r !== undefined);
    if (regions.length === 0) continue;
    for (const r of regions) if (!r.matches) mismatches.push(r.premiseError ?? `${claim.id} [${r.regionId}]: expected ${r.expected}, measured ${r.measured}`);
    // A mixed region is itself conditional, so combine() turns it into a conditional claim; boundary probes never enter it.
    const measured = combine(premiseRegions(regions).map((r) => r.measured as RegionVerdict));
    const keyNumber = keyNumberOf({ regions }, claim.keyNumber);
    const source = 'source' in claim && typeof claim.source === 'string' ? { source: claim.source } : {};
    // How a record was computed (backendUse) is for npm test's backend re-run, which reads the records; the summary publishes what was measured.
    const published = regions.map(({ backendUse: _, ...r }) => r);
    // Measured numbers in the prose are filled from this run's records (report/prose.ts).
    const prose = (text: string): string => fillProse(text, regions);
    out.push({
      id: claim.id,
      section: claim.section,
      kind: claim.kind,
      statement: claim.statement,
      predicate: prose(claim.predicate),
      boundary: claim.boundary ? prose(claim.boundary) : null,
      premise: prose(claim.premise.text),
      reading: claim.reading ? prose(claim.reading) : null,
      expected: expectedVerdict(claim),
      measured,
      keyNumber,
      ...source,
      regions: published,
    });
  }
  const totals: Record<string, number> = { holds: 0, refuted: 0, conditional: 0, 'numerically-broken': 0, pending: pending.length };
  for (const c of out) totals[c.measured] = (totals[c.measured] ?? 0) + 1;
  const backends = [...new Set(records.map((r) => r.backend))].sort();
  return {
    document: 'vanishing-gradients.md',
    seed,
    ...(seeds && seeds.length > 1 ? { seeds, unstable } : {}),
    backends,
    totals,
    mismatches,
    claims: out,
    pending,
    ...(run ? { run } : {}),
  };
}

/**
 * The document's order: sections as the document has them (SECTIONS; a user's sections after, in
 * the order they first appear), claims in registry order within a section.
 */
export function inDocumentOrder<T extends { readonly section: string }>(items: readonly T[]): T[] {
  const rank = (s: string): number => {
    const i = (SECTIONS as readonly string[]).indexOf(s);
    return i >= 0 ? i : SECTIONS.length + items.findIndex((x) => x.section === s);
  };
  // Array.prototype.sort is stable, so registry order survives within a section.
  return [...items].sort((a, b) => rank(a.section) - rank(b.section));
}

/** The file of a section's region-by-region figure (report/verdict-matrix.ts): `verdicts-01.svg` for the document's first section, a user's sections numbered after the document's. */
export function sectionFigureFile(section: string, all: readonly string[] = []): string {
  const i = (SECTIONS as readonly string[]).indexOf(section);
  const n = i >= 0 ? i + 1 : SECTIONS.length + 1 + all.filter((s) => !(SECTIONS as readonly string[]).includes(s)).indexOf(section);
  return `verdicts-${String(n).padStart(2, '0')}.svg`;
}

/** The sections a summary decided, in the document's order. */
export function sectionsOf(s: Pick<Summary, 'claims'>): string[] {
  return [...new Set(inDocumentOrder(s.claims).map((c) => c.section))];
}

/** A record's role (records written before roles tested the premise). */
export const roleOf = (r: Pick<RegionRecord, 'role'>): 'premise' | 'boundary' => r.role ?? 'premise';
/** The records of the regions that decide a claim (its premise regions). */
export function premiseRegions<R extends Pick<RegionRecord, 'role'>>(regions: readonly R[]): R[] {
  return regions.filter((r) => roleOf(r) === 'premise');
}

/** Premise regions that hold, are refuted, split (mixed) and are budget-limited, and the boundary probes beside them. */
export function regionCounts(c: Pick<ClaimSummary, 'regions'>): {
  readonly holds: number;
  readonly refuted: number;
  readonly split: number;
  readonly budgetLimited: number;
  readonly probes: number;
} {
  const decided = premiseRegions(c.regions);
  const n = (v: string): number => decided.filter((r) => r.measured === v).length;
  return { holds: n('holds'), refuted: n('refuted'), split: n('mixed'), budgetLimited: n('budget-limited'), probes: c.regions.length - decided.length };
}

/** A number as the summary prints it (already 3 significant digits in the records). */
function num(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2).replace(/\.?0+e/, 'e') : String(v);
}

/** `16.2–17.4`, `300` for equal ends, `300–7900, none in 12/25` when some cases have no value, `—` when none has. */
export function formatRange(r: NumberRange): string {
  const span = r.min === null || r.max === null ? '—' : r.min === r.max ? num(r.min) : `${num(r.min)}–${num(r.max)}`;
  return r.missing > 0 && r.min !== null ? `${span}, none in ${r.missing}/${r.cases}` : span;
}

/** The key number in words with its unit (key-words.ts), measured against claimed: `gap between first and last step 16.2–17.4 decades (claimed 6–10)`. */
export function keyNumberWordsLine(k: KeyNumber | null): string {
  if (!k) return '';
  const claimed = k.claimed ? ` (claimed ${num(k.claimed[0])}–${num(k.claimed[1])})` : '';
  return `${keyNumberPhrase(k.name, formatRange(k.measured))}${claimed}${k.representativeOnly ? ' †' : ''}`;
}

/** A markdown table cell: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The share of a region's cases inside the premise, when some missed it: ` · 18/25 in premise`. */
export function premiseShareText(r: Pick<RegionRecord, 'runs' | 'counts'>): string {
  const k = casesInPremise(r);
  return k === null ? '' : ` · ${k}/${r.runs} in premise`;
}

/** How many of a region's cases met the premise, or null when all did. */
export function casesInPremise(r: Pick<RegionRecord, 'runs' | 'counts'>): number | null {
  const outside = r.counts.outside ?? 0;
  return outside > 0 ? r.runs - outside : null;
}

/**
 * The audit line of a claim (issue 22): its premise, the regions that decide it, the boundary
 * probes beside them, and how the project reads the document's words where it reinterprets them.
 */
export function auditLines(c: ClaimSummary): string[] {
  const decided = premiseRegions(c.regions).map((r) => r.regionId);
  const probes = c.regions.filter((r) => roleOf(r) === 'boundary').map((r) => r.regionId);
  const training = c.regions.some((r) => r.budgets !== undefined);
  // Training claims have a region per model and lag: their grid marks the probes, so the line counts them.
  const list = (ids: readonly string[]): string => (training ? `${ids.length} of the grid's regions` : ids.join(', '));
  const lines = [
    `Premise: ${c.premise ?? UNCONDITIONAL}. Decided on: ` +
      `${decided.length ? list(decided) : 'no premise region in this run'}${probes.length ? `; boundary probes: ${list(probes)}` : ''}.`,
  ];
  if (c.reading) lines.push(`Reading: ${c.reading}`);
  return lines;
}

/** The parts every training region's description shares (seeds, criterion, cap, sizes), stated once. */
function trainingProtocol(regions: readonly RegionRecord[]): string[] {
  const parts = regions.map((r) => r.region.split('; ').slice(1));
  return parts.length ? parts[0].filter((p) => parts.every((q) => q.includes(p))) : [];
}

/**
 * A training claim's regions as a grid: rows `task / model`, columns the lag (or lags) of the region
 * id `task/model/lag-N`; a cell is the verdict, with the seeds where the predicate holds / seeds when they disagree.
 */
function trainingGrid(c: ClaimSummary): string[] {
  const at = (r: RegionRecord): [string, string] => {
    const i = r.regionId.lastIndexOf('/');
    return [
      r.regionId.slice(0, i).replace('/', ' / '),
      r.regionId
        .slice(i + 1)
        .replace(/^lags?-/, '')
        .replace(/(\d)-(\d)/, '$1–$2'),
    ];
  };
  const rows = [...new Set(c.regions.map((r) => at(r)[0]))];
  const cols = [...new Set(c.regions.map((r) => at(r)[1]))].sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
  const byCell = new Map(c.regions.map((r) => [at(r).join('|'), r]));
  // A claim decided by whether the models learned shows what they did; the verdict follows from it (said once, above the grid).
  const sense = learningSense(c.regions);
  const lines = sense
    ? [`Each cell: how many seeds learned the task within the cap; the claim holds where they ${sense === 'learned' ? 'learned' : 'did not learn'}.`, '']
    : [];
  lines.push(`| task / model, by lag | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---|').join('')}`);
  for (const row of rows) {
    const cells = cols.map((col) => {
      const r = byCell.get(`${row}|${col}`);
      if (!r) return '';
      const half = r.measured === 'budget-limited' && r.budgets && r.budgets.length > 1 ? r.budgets[r.budgets.length - 2] : null;
      // A clean verdict says how many seeds held (all or none); a split or budget-limited one gives the count.
      const counted = r.counts.holds + r.counts.fails + r.counts.broken;
      const count = r.measured === 'holds' || r.measured === 'refuted' ? '' : ` ${r.counts.holds}/${counted}`;
      // {k/n} when some but not all runs meet the premise: a probe's italics already say none does.
      const inPremise = casesInPremise(r);
      const outside = inPremise === null || inPremise === 0 ? '' : ` {${inPremise}/${r.runs}}`;
      const did = sense ? learnedText(r, half?.budget) : null;
      const cell = `${did ?? `${verdictWord(r.measured)}${count}${half ? ` (${half.holds}/${counted} at ${half.budget})` : ''}`}${outside}`;
      return `${roleOf(r) === 'boundary' ? `_${cell}_` : cell}${r.matches ? '' : ` (expected ${r.expected})`}`;
    });
    lines.push(`| ${row} | ${cells.join(' | ')} |`);
  }
  return lines;
}

/** A gradient claim's regions, one line each: verdict (with the cases where the predicate holds / cases when they disagree), the key number's range. */
function regionList(c: ClaimSummary): string[] {
  // The key number's range is given per claim (the matrix at the top) and per region in claims.json and the report;
  // here each region gives what its verdict says (n and the bound, or k/n and the interval), to stay readable on GitHub.
  return c.regions.map((r) => {
    const broken = r.counts.broken ? `, ${r.counts.broken} broken` : '';
    const probe = roleOf(r) === 'boundary' ? 'boundary probe ' : '';
    return (
      `- ${probe}${r.regionId}: ${verdictWord(r.measured)} ` +
      `(${compactMeaning(r.measured, r.counts, r.rule)})${broken}${premiseShareText(r)}${r.matches ? '' : ` (expected ${r.expected})`}`
    );
  });
}

/** One claim: heading, verdict and statement; its regions folded; the boundary on a line of its own. */
function claimBlock(c: ClaimSummary): string[] {
  const training = c.regions.some((r) => r.budgets !== undefined);
  // The heading is the bare id, so its anchor is `#vg-…` (the README's table links there); the verdict's
  // word is in the matrix at the top, its mark here.
  const lines = [
    `### ${c.id}`,
    `**${verdictWord(c.measured)}:** ${c.statement}`,
    '',
    ...auditLines(c).flatMap((l) => [l, '']),
    `<details><summary>${c.regions.length} regions</summary>`,
    '',
  ];
  lines.push(...(training ? trainingGrid(c) : regionList(c)));
  lines.push('</details>', '');
  // A claim that does not hold always says where it does and does not (issue 23): its registry text, else its regions'.
  const boundary = c.boundary ?? (c.measured === 'holds' ? null : `${wherePhrase(c.regions)}.`);
  if (boundary) lines.push(`Boundary: ${boundary}`, '');
  return lines;
}

/**
 * reports/CLAIMS.md, written for GitHub (issue 16): a verdict matrix with one row per claim first,
 * the protocol once, then every section once in the document's order with each claim's regions
 * folded (training claims as task/model × lag grids).
 */
export function summaryMarkdown(s: Summary): string {
  const claims = inDocumentOrder([...s.claims, ...s.pending.map((p) => ({ ...p, pending: true as const }))]);
  const decided = new Map(s.claims.map((c) => [c.id, c]));
  const training = s.claims.flatMap((c) => c.regions.filter((r) => r.budgets !== undefined));
  const gradientRuns = [...new Set(s.claims.flatMap((c) => c.regions.filter((r) => r.budgets === undefined).map((r) => r.runs)))].sort((a, b) => a - b);
  const ladder = training[0]?.budgets?.map((b) => b.budget) ?? [];
  const partial = s.run?.kind === 'partial';
  const lines = [
    partial ? `# Partial run: verdicts on ${runSelection(s.run!)} of ${s.document}` : `# Verdicts on the claims of ${s.document}`,
    '',
    `${writtenBy(s.run, s.backends, s.seed, s.seeds)} Each claim, in this project's words, is decided by experiment on TensorFlow.js models, region by region. Totals: ${Object.entries(
      s.totals,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; regions whose verdict differs from the registered expectation: ${s.mismatches.length}.`,
    '',
    '![Verdicts at a glance: a row per claim](verdicts.svg)',
    '',
    `Region by region, one figure per section: ${sectionsOf(s)
      .map((x) => `[${sectionFigureFile(x, sectionsOf(s)).replace(/\.svg$/, '')}](${sectionFigureFile(x, sectionsOf(s))})`)
      .join(', ')}.`,
    '',
    '| claim | verdict | where it holds, where it fails | key number: measured (claimed) |',
    '|---|---|---|---|',
  ];
  for (const c of claims) {
    const d = decided.get(c.id);
    // The statement (the claim's entry below is headed by its id, in the same order; links would cost 1.3 kB of the size limit).
    const claim = cell(c.statement);
    lines.push(
      d
        ? `| ${claim} | ${verdictWord(d.measured)} | ${cell(wherePhrase(d.regions))} | ` +
            `${cell(keyNumberWordsLine(d.keyNumber === undefined ? keyNumberOf(d) : d.keyNumber))} |`
        : `| ${claim} | ${verdictWord('pending')} | | |`,
    );
  }
  lines.push(
    '',
    '## Protocol',
    '',
    `- Premise and boundary probes: ${PREMISE_RULE} A claim with no premise region in a run (a reduced ` +
      `training plan) is untested there. Each claim's audit line names its premise, the regions that decide ` +
      `it, the probes, and any reading of the text.`,
    "- Verdicts: holds, refuted, conditional (some premise regions hold, others not), split (a region's " +
      'cases disagree), budget-limited (the verdict at the training cap differs from that at half the cap).',
    `- Key number: the number a claim is judged by, as the claim declares it, over every case. "none in ` +
      `k/n": k of n cases had no finite value (unsolved within the cap, ` +
      `underflow).${s.claims.some((c) => (c.keyNumber === undefined ? keyNumberOf(c) : c.keyNumber)?.representativeOnly) ? ' †: one case per region (the record predates per-case ranges).' : ''}`,
    `- Gradient claims: a region samples ` +
      `${gradientRuns.length ? `${gradientRuns[0]}–${gradientRuns[gradientRuns.length - 1]}` : 'its'} cases ` +
      `with fast-check (seeded by the run's seed and the region; a split with fewer than 3 cases on one ` +
      `side samples up to 4 times ` +
      `more)${s.seeds && s.seeds.length > 1 ? `, once per seed of the sweep (${s.seeds.join(', ')}); the counts are pooled over the seeds, and ${(s.unstable ?? []).length === 0 ? 'every seed gave the same verdict' : `these regions changed verdict with the seed: ${(s.unstable ?? []).join('; ')}`}` : ''}.`,
    `- What a verdict means: ${DECISION_RULE} A region line gives n and the bound on the minority share ` +
      `("60, fail <7%", "1/101 fail, <6%"), the counterexamples of a refuted theorem, or k/n with its 95% ` +
      `Wilson interval (CI) for a split or undetermined region; training cells give the seeds.`,
  );
  const sourcesSeen = new Set(claims.flatMap((c) => (decided.get(c.id)?.regions ?? []).flatMap((r) => Object.keys(r.sources ?? {}))));
  if (sourcesSeen.has('kernel-f32'))
    lines.push(
      '- Gradient norms: float32 from the fused WebAssembly kernel, checked against tfjs ops ' +
        '(VG-FLOW-PRODUCT and the demo quantity: tfjs ops); the float64 oracle where float32 underflows. ' +
        'Records name the source.',
    );
  if (training.length > 0)
    lines.push(
      `- Training claims (model × lag grids): ${trainingProtocol(training).join('; ')}. A cell gives the ` +
        `verdict (a split or budget-limited one with the seeds where the predicate holds / seeds), or, for a ` +
        `claim about whether the models learn, what they did: learned k/n seeds within the cap; verdicts are ` +
        `also read at ${ladder.slice(0, -1).join(', ')} updates. In italics: a boundary probe, beyond the ` +
        `premise (it does not enter the verdict). {k/n}: k of the region's n runs meet the premise, when some but not all do.`,
    );
  lines.push(`- Predicates (how each claim is decided, with its tolerance): claims.json and the claim files in ${sectionsPath(s.run)}.`, '');
  let section = '';
  for (const c of claims) {
    if (c.section !== section) {
      section = c.section;
      lines.push(`## ${section}`, '');
    }
    const d = decided.get(c.id);
    if (d) lines.push(...claimBlock(d));
    else lines.push(`### ${c.id}`, '', `**${verdictWord('pending')}:** ${c.statement} Not decided here: ${(c as PendingClaim).pendingReason}`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The spec file that runs a document section's gradient claims (specs/claims/verify-section.ts). */
export const SECTION_SPECS: Readonly<Record<string, string>> = {
  'The Core Problem': 'specs/claims/01-core-problem.test.ts',
  'Gradient Flow Through Time': 'specs/claims/02-gradient-flow.test.ts',
  'Bounding the Gradient Norm': 'specs/claims/03-bounds.test.ts',
  'Why γ < 1 Is the Common Case': 'specs/claims/04-why-gamma.test.ts',
  'Eigenvalue Perspective': 'specs/claims/05-eigenvalues.test.ts',
  Consequences: 'specs/claims/06-consequences.test.ts',
  'Empirical Demonstration': 'specs/claims/07-empirical-demonstration.test.ts',
  Diagnosis: 'specs/claims/08-diagnosis.test.ts',
  Mitigations: 'specs/claims/09-mitigations.test.ts',
  Summary: 'specs/claims/10-summary.test.ts',
};
/** The spec that trains once and runs every training claim (their cases are training runs). */
export const TRAINING_SPEC = 'specs/claims/11-training.test.ts';

/** The spec a claim runs from: the training spec for a claim decided by training runs, else its section's. */
export function specOf(c: Pick<ClaimSummary, 'section' | 'regions'>): string | null {
  return c.regions.some((r) => (r.budgets?.length ?? 0) > 0) ? TRAINING_SPEC : (SECTION_SPECS[c.section] ?? null);
}

/** The short verdict table the README embeds between its verdict markers, below the verdict matrix image. */
export function readmeVerdictTable(s: Summary): string {
  const lines = [
    "![Verdicts at a glance: a row per claim in the document's order, with its verdict in words, its " +
      'premise regions counted by verdict, its boundary probes and its key number in words against the ' +
      'claimed range](reports/verdicts.svg)',
    '',
    'Each id links to the file that states the claim (statement, predicate, regions), the verdict to its ' +
      'evidence in CLAIMS.md, the spec to the test that runs it.',
    '',
    '| claim | section | verdict | premise regions (holds / refuted / split / budget-limited) · boundary probes | spec |',
    '|---|---|---|---|---|',
  ];
  for (const c of inDocumentOrder(s.claims)) {
    const n = regionCounts(c);
    // The id links to the claim's file (STYLE.md), the verdict to its entry in CLAIMS.md.
    const id = c.source ? `[${c.id}](${c.source})` : c.id;
    const spec = specOf(c);
    lines.push(
      `| ${id} | ${c.section} | [${verdictWord(c.measured)}](reports/CLAIMS.md#${c.id.toLowerCase()}) | ` +
        `${n.holds} / ${n.refuted} / ${n.split} / ${n.budgetLimited}${n.probes ? ` · ${n.probes}` : ''} | ` +
        `${spec ? `[${spec.replace(/^specs\/claims\//, '')}](${spec})` : ''} |`,
    );
  }
  lines.push(
    '',
    `${s.claims.length} claims decided, ${s.pending.length} not decided yet (listed with the reason in ` +
      `reports/CLAIMS.md; seed ${s.seed}, backend ${s.backends.join(', ')}).`,
  );
  return lines.join('\n');
}

/** The comments around the README's generated verdict block (image and table); the text between them is rewritten. */
export const README_MARKERS = { start: '<!-- verdicts:start (generated by `npm run verify`) -->', end: '<!-- verdicts:end -->' } as const;

/** README text with the verdict block replaced (the markers must exist). */
export function withReadmeVerdicts(readme: string, s: Summary): string {
  const a = readme.indexOf(README_MARKERS.start),
    b = readme.indexOf(README_MARKERS.end);
  if (a < 0 || b < a) throw new Error('README.md has no verdict markers');
  return `${readme.slice(0, a + README_MARKERS.start.length)}\n${readmeVerdictTable(s)}\n${readme.slice(b)}`;
}
