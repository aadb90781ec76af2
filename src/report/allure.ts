import * as allure from 'allure-js-commons';
import type { InitScheme, ModelConfig } from '../config/types.js';
import { type Claim, type ClaimVerdict, type Domain, type EvidenceSeries, SECTIONS, expectedVerdict } from '../engine/types.js';
import type { Case, RegionResult } from '../engine/run-region.js';
import { DECISION_RULE, verdictMeaning } from './meaning.js';
import { renderLineChartSvg, renderScatterSvg, type PlotSeries } from './plot.js';
import { describeSubject, type RegionRecord, representative, roundNumbers } from './region-record.js';
import { VERDICT_MARK, formatRange, keyNumberOf, type KeyNumber, premiseShareText, roleOf } from './summary.js';
import { PREMISE_RULE } from '../engine/types.js';
import { fillProse } from './prose.js';
import { median } from '../numerics/stats.js';

/**
 * The epic of a section: its number in the document, so the tree sorted by name follows the
 * document ("02 · Gradient Flow Through Time"); a user's section keeps its name and sorts after.
 */
export function sectionEpic(section: string): string {
  const i = (SECTIONS as readonly string[]).indexOf(section);
  return i < 0 ? section : `${String(i + 1).padStart(2, '0')} · ${section}`;
}

/**
 * The claim's node in the tree, with the claim's verdict. Allure groups regions by this label's
 * value, so every region of a claim must compute the same text while knowing only itself: it
 * uses the verdict the registry expects (claims/types.ts expectedVerdict). When the run passes,
 * every region measured its expectation, so this is also the measured claim verdict; a region
 * that measured otherwise fails and says so in its own name.
 */
export function claimNode(claim: Claim<Domain>, verdict: ClaimVerdict = expectedVerdict(claim)): string {
  return `${claim.id} — ${VERDICT_MARK[verdict]}`;
}

/**
 * The verdict a claim's node shows. A training shard builds its claims with its own models'
 * regions only, so there the whole plan's claim decides: every shard then names the claim alike
 * and the merged report holds one node per claim.
 */
async function claimVerdict(claim: Claim<Domain>): Promise<ClaimVerdict> {
  if (claim.regions[0]?.domain.kind !== 'training') return expectedVerdict(claim);
  const [{ engineOptionsFromEnv }, { trainingPlan }, { trainingClaimsFor }] = await Promise.all([import('../engine/options.js'), import('../claims/training/plan.js'), import('../claims/registry.js')]);
  const engine = engineOptionsFromEnv();
  if (!engine.trainingShard) return expectedVerdict(claim);
  const whole = trainingClaimsFor(trainingPlan(engine.training), { record: engine.record }).find((c) => c.id === claim.id);
  return expectedVerdict(whole ?? claim);
}

/** `gapDecades` → `gap … decades`, `decadesPerStep` → `decades per step`: a key number in words. */
function keyName(name: string): { readonly label: string; readonly unit: string } {
  const words = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  const m = /^(.+)Decades$/.exec(name);
  return m ? { label: words(m[1]), unit: ' decades' } : { label: words(name), unit: '' };
}

/** `gap 16.2–17.4 decades (claimed 6–10)`: the key number's range over the region's cases, beside the claimed one. */
export function keyRangeText(k: KeyNumber | null): string {
  if (!k) return '';
  const { label, unit } = keyName(k.name);
  const claimed = k.claimed ? ` (claimed ${k.claimed[0]}–${k.claimed[1]})` : '';
  if (k.measured.min === null) return `${label}: none of ${k.measured.cases}${claimed}`;
  return `${label} ${formatRange(k.measured)}${unit}${claimed}`;
}

/**
 * A region's leaf in the tree: region id, measured verdict, cases that hold, the key range, e.g.
 * `demo-as-written — ❌ refuted 0/25 · gap 16.2–17.4 decades (claimed 6–10)`. A training region
 * that is budget-limited names its verdict at the cap; a region that differs from its expectation says so.
 */
export function regionTitle(claim: Claim<Domain>, record: RegionRecord): string {
  const atCap = record.measured === 'budget-limited' && record.capVerdict ? ` (at the cap: ${record.capVerdict})` : '';
  const broken = record.counts.broken ? `, ${record.counts.broken} broken` : '';
  const key = keyRangeText(keyNumberOf({ predicate: claim.predicate, regions: [record] }));
  const differs = record.matches ? '' : ` — ⚠ expected ${record.expected}`;
  const counted = record.counts.holds + record.counts.fails + record.counts.broken;
  const probe = roleOf(record) === 'boundary' ? 'boundary probe: ' : '';
  return `${probe}${record.regionId} — ${VERDICT_MARK[record.measured] ?? record.measured}${atCap} ${record.counts.holds}/${counted}${broken}${premiseShareText(record)}${key ? ` · ${key}` : ''}${differs}`;
}

/** `100` for equal ends, `16–100` otherwise. */
function span(r: readonly [number, number]): string {
  return r[0] === r[1] ? String(r[0]) : `${r[0]}–${r[1]}`;
}

function initText(s: InitScheme): string {
  switch (s.kind) {
    case 'uniform': return `U(${s.low < 0 ? `−${-s.low}` : s.low}, ${s.high})`;
    case 'normal': return `N(0, ${s.std}²)`;
    case 'orthogonal': return s.gain === 1 ? 'orthogonal' : `orthogonal × ${s.gain}`;
    case 'identity': return `${s.scale} · I`;
    case 'glorotUniform': return 'Glorot uniform';
    case 'pytorchDefault': return 'U(±1/√H) (PyTorch default)';
    case 'zeros': return '0';
  }
}

const CELL_NAME: Readonly<Record<string, string>> = { rnn: 'RNN', residual: 'residual RNN', layernorm: 'layer-norm RNN', lstm: 'LSTM', gru: 'GRU' };
const MATRIX_SCALE: Readonly<Record<string, string>> = { diagonalizable: 'eigenvalue modulus', gaussian: 'entry std', orthogonal: 'scale', spectralNormBelowOne: 'spectral norm' };

/**
 * The region's configuration space as a person reads it: `hidden size 16–100`, `W_hh ~ U(−0.1, 0.1)`,
 * only the settings that apply to the region's cells (no gate activation for a tanh RNN), ranges
 * with equal ends collapsed. Name → value, in reading order.
 */
export function readableParameters(domain: Domain, subjects: readonly unknown[] = []): Array<[string, string]> {
  if (domain.kind === 'real') return [['x', domain.min === domain.max ? String(domain.min) : `[${domain.min}, ${domain.max}]`]];
  if (domain.kind === 'seed') return [['seeds', span([domain.min, domain.max])]];
  if (domain.kind === 'matrix') return [['matrices', domain.structure], ['size n', span(domain.size)], [MATRIX_SCALE[domain.structure] ?? 'scale', span(domain.scale)]];
  if (domain.kind === 'training') {
    const b = domain.budget;
    return [['task', domain.task], ['model', domain.model], [domain.lags.length === 1 ? 'lag' : 'lags', domain.lags.join(', ')], ['seeds', domain.seeds.join(', ')], ['budget', `≤ ${b.steps} updates × ${b.batchSize}, lr ${b.learningRate}, hidden size ${b.hiddenSize}`]];
  }
  const d = domain, base = d.base;
  const cells = d.architectures ?? [base.architecture ?? 'rnn'];
  const vanilla = cells.some((c) => c === 'rnn' || c === 'residual' || c === 'layernorm');
  const gated = cells.some((c) => c === 'lstm' || c === 'gru');
  const out: Array<[string, string]> = [['cell', cells.map((c) => CELL_NAME[c] ?? c).join(' | ')]];
  if (vanilla) out.push(['activation', (d.activations ?? [base.activation ?? 'tanh']).join(' | ')]);
  if (gated) out.push(['gate activation', (d.recurrentActivations ?? [base.recurrentActivation ?? 'sigmoid']).join(' | ')]);
  if (cells.includes('lstm')) out.push(['forget bias', (d.forgetBiases ?? [base.forgetBias ?? 'init']).join(' | ')]);
  const hidden = d.hiddenSize ?? (base.hiddenSize !== undefined ? [base.hiddenSize, base.hiddenSize] as const : null);
  if (hidden) out.push(['hidden size', span(hidden)]);
  if (d.inputSize === 'hidden') out.push(['input size', '= hidden size']);
  else if (d.inputSize) out.push(['input size', span(d.inputSize)]);
  else if (base.inputSize !== undefined) out.push(['input size', String(base.inputSize)]);
  const steps = d.seqLength ?? (base.seqLength !== undefined ? [base.seqLength, base.seqLength] as const : null);
  if (steps) out.push(['steps T', span(steps)]);
  const a = d.recurrentUniform, s = d.recurrentNormal;
  const whh = a ? (a[0] === a[1] ? `U(−${a[0]}, ${a[0]})` : `U(−a, a), a ∈ ${span(a)}`) : s ? `N(0, σ²), σ ∈ ${span(s)}` : (d.recurrentInits ?? (base.recurrentInit ? [base.recurrentInit] : [])).map(initText).join(' | ');
  // A setting the region leaves to the configuration's defaults is read from the cases it ran.
  const ran = (key: 'recurrentInit' | 'inputInit'): string => [...new Set(subjects.map((c) => (c as Partial<ModelConfig>)[key]).filter((v): v is InitScheme => v !== undefined).map(initText))].join(' | ');
  out.push(['W_hh', `~ ${whh || ran('recurrentInit') || 'default'}`]);
  out.push(['W_ih', `~ ${(d.inputInits ?? (base.inputInit ? [base.inputInit] : [])).map(initText).join(' | ') || ran('inputInit') || 'default'}`]);
  return out;
}

/** Markdown description of a region's run: the claim, how it is decided, what was measured, how to replay it. */
function describe(claim: Claim, record: RegionRecord): string {
  const counted = record.counts.holds + record.counts.fails + record.counts.broken;
  const outside = record.counts.outside ?? 0;
  const boundary = roleOf(record) === 'boundary';
  const role = boundary
    ? `**Boundary probe**: this region explores beyond the claim's premise; its verdict is reported here and never enters the claim's. ${outside} of its ${record.runs} cases miss the premise.`
    : `**Premise region**: this region decides the claim. ${outside === 0 ? `All ${record.runs} cases meet the premise.` : `${record.runs - outside} of its ${record.runs} cases meet the premise; the ${outside} others are counted as outside it, never as refutations.`}`;
  // Numbers the prose quotes from other regions are not known while this one reports: CLAIMS.md has them filled.
  const prose = (text: string): string => fillProse(text, [record], (p) => `(measured in region ${p.region}: see CLAIMS.md)`);
  const lines = [`**${VERDICT_MARK[record.measured] ?? record.measured}**: the predicate holds on ${record.counts.holds} of ${counted} cases${record.matches ? ' (as registered)' : ` — **expected ${record.expected}**`}.`, '', role, '', `**${claim.id}** (${claim.kind}, section *${claim.section}*)`, '', claim.statement, '', `**Premise.** ${prose(claim.premise.text)}`, '', `**Predicate.** ${prose(claim.predicate)}`];
  const ids = (role: 'premise' | 'boundary'): string => claim.regions.filter((r) => r.role === role).map((r) => `\`${r.id}\``).join(', ');
  lines.push('', `**Audit.** Decided on its premise regions: ${ids('premise') || 'none in this run'}${ids('boundary') ? `; boundary probes: ${ids('boundary')}` : ''}.`);
  if (claim.reading) lines.push('', `**Reading.** ${prose(claim.reading)}`);
  if (claim.boundary) lines.push('', `**Boundary.** ${prose(claim.boundary)}`);
  if (record.premiseError) lines.push('', `**Error:** ${record.premiseError}`);
  lines.push('', `**Region \`${record.regionId}\`.** ${record.region}`, '', `**Expected** ${record.expected}; **measured** ${record.measured}: predicate held on ${record.counts.holds} of ${counted} ${boundary ? 'sampled cases' : 'cases inside the premise'}, failed on ${record.counts.fails}, numerically broken on ${record.counts.broken}. What that says: ${verdictMeaning(record.measured, record.counts, record.rule)}.`, '', `*${PREMISE_RULE}*`, '', `*${DECISION_RULE}*`);
  if (record.budgets && record.budgets.length > 0) {
    lines.push('', `**Verdict by budget** (no extra training: each run read at every budget${record.measured === 'budget-limited' ? `; budget-limited: at half the cap the verdict differs from the one at the cap, ${record.capVerdict}` : ''}):`, '', '| updates | verdict | seeds where the predicate holds / fails |', '|---|---|---|');
    for (const b of record.budgets) lines.push(`| ${b.budget} | ${b.verdict} | ${b.holds} / ${b.fails} |`);
  }
  if (record.counterexample) lines.push('', `**Smallest counterexample** (after ${record.counterexample.shrinks} shrinks): ${record.counterexample.subject}`);
  if (record.broken) lines.push('', `**Numerically broken:** ${record.broken}`);
  const domain = claim.regions.find((r) => r.id === record.regionId)?.domain;
  if (domain?.kind === 'training') {
    lines.push('', `**Replay:** every listed seed is one deterministic training run: \`npx vg verify --claim ${claim.id} --training full\` (or \`--training reduced\` for the reduced plan)${record.counterexample ? `; the first failing run is ${record.counterexample.subject}` : ''}. Backend: ${record.backend}.`);
  } else {
    lines.push('', `**Replay:** \`VG_FC_SEED\` run seed gives region seed ${record.seed}; fast-check \`fc.check(property, { seed: ${record.seed}${record.counterexample ? `, path: '${record.counterexample.path}'` : ''} })\`. Backend: ${record.backend}.`);
  }
  return lines.join('\n');
}

/** A CSV of every sampled case: the subject and the numbers behind its decision. */
function casesCsv(result: RegionResult): string {
  const keys = [...new Set(result.cases.flatMap((c) => Object.keys(c.evaluation.numbers)))];
  const cell = (v: unknown): string => `"${String(v ?? '').replace(/"/g, '""')}"`;
  const rows = result.cases.map((c) => {
    const n = roundNumbers(c.evaluation.numbers);
    return [describeSubject(c.subject), outcome(c), ...keys.map((k) => n[k])].map(cell).join(',');
  });
  return [['subject', 'predicate', ...keys].map(cell).join(','), ...rows].join('\n');
}

function outcome(c: Case): string {
  const o = c.evaluation.holds === null ? 'broken' : c.evaluation.holds ? 'holds' : 'fails';
  return c.evaluation.inPremise === false ? `${o} (outside the premise)` : o;
}

/** The most faint per-case lines one evidence plot draws. */
export const MAX_FAINT_LINES = 100;

/**
 * Every case's measured curves as faint lines with their median per x bold (a training region's
 * seeds, each named by its case, as one coloured line each), and each dashed
 * series (a bound, a threshold) drawn once, from the case where it lies closest to its measured
 * curve: for the γ^(T−t) bound that is the case with the smallest γ, not one where γ > 1 lifts
 * the bound 24 decades above everything else.
 */
export function evidenceSeries(cases: readonly Case[]): PlotSeries[] {
  const out: PlotSeries[] = [];
  const measured = new Map<string, EvidenceSeries[]>();
  for (const c of cases) {
    for (const s of c.evaluation.series ?? []) {
      if (s.dashed) continue;
      const list = measured.get(s.name);
      if (list) list.push(s);
      else measured.set(s.name, [s]);
    }
  }
  const perCase = cases.length > 1 && measured.size === cases.length && [...measured.values()].every((v) => v.length === 1);
  if (perCase) {
    // Each case names its own line (a training seed, with when it was solved): one coloured line each. No
    // median: a run stops when solved, so a median over the runs still going at an update would be biased.
    for (const s of [...measured.values()].map((v) => v[0])) out.push({ name: s.name, points: s.points, group: s.name });
  } else {
    for (const [name, all] of measured) {
      // At most MAX_FAINT_LINES faint lines, every k-th case (a region grown to 2400 cases would otherwise
      // put 2400 lines in one SVG); the median is over every case.
      const step = Math.ceil(all.length / MAX_FAINT_LINES);
      if (all.length > 1) all.forEach((s, i) => { if (i % step === 0) out.push({ name: `${name} · case ${i + 1}`, points: s.points, faint: true, group: name }); });
      out.push({ name: all.length > 1 ? `${name} (median of ${all.length} cases${step > 1 ? `; every ${step}th drawn` : ''})` : name, points: medianCurve(all), group: name });
    }
  }
  const dashedNames = [...new Set(cases.flatMap((c) => (c.evaluation.series ?? []).filter((s) => s.dashed).map((s) => s.name)))];
  for (const name of dashedNames) {
    let best: { series: EvidenceSeries; gap: number } | null = null;
    for (const c of cases) {
      const bound = c.evaluation.series?.find((s) => s.dashed && s.name === name);
      const curve = c.evaluation.series?.find((s) => !s.dashed);
      if (!bound) continue;
      const gap = curve ? maxGap(bound, curve) : 0;
      if (best === null || gap < best.gap) best = { series: bound, gap };
    }
    if (best) out.push({ name, points: best.series.points, dashed: true, group: name });
  }
  return out;
}

/** Largest |bound − curve| over the x both share (0 when they share none). */
function maxGap(bound: EvidenceSeries, curve: EvidenceSeries): number {
  const at = new Map(curve.points.filter((p) => p.y !== null).map((p) => [p.x, p.y as number]));
  let gap = 0;
  for (const p of bound.points) if (p.y !== null && at.has(p.x)) gap = Math.max(gap, Math.abs(p.y - at.get(p.x)!));
  return gap;
}

/** The median of the finite y at each x over several curves (an x with no finite y is a gap). */
function medianCurve(curves: readonly EvidenceSeries[]): Array<{ x: number; y: number | null }> {
  const xs = [...new Set(curves.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  return xs.map((x) => {
    const ys = curves.flatMap((s) => s.points.filter((p) => p.x === x && p.y !== null && Number.isFinite(p.y)).map((p) => p.y as number));
    return { x, y: ys.length === 0 ? null : median(ys) };
  });
}

/** The numeric coordinates of a case: its subject's axes, then the numbers it measured. */
function coordinates(c: Case): Array<[string, number, 'subject' | 'measured']> {
  const s = c.subject as Record<string, unknown> | number;
  const out: Array<[string, number, 'subject' | 'measured']> = [];
  if (typeof s === 'number') out.push(['x', s, 'subject']);
  else if (s && typeof s === 'object') {
    for (const [k, v] of Object.entries(s)) if (typeof v === 'number' && k !== 'seed') out.push([k, v, 'subject']);
    const init = s.recurrentInit as InitScheme | undefined;
    if (init?.kind === 'uniform') out.push(['W_hh half-width', init.high, 'subject']);
    if (init?.kind === 'normal') out.push(['W_hh σ', init.std, 'subject']);
  }
  for (const [k, v] of Object.entries(c.evaluation.numbers)) if (typeof v === 'number' && Number.isFinite(v)) out.push([k, v, 'measured']);
  return out;
}

/** Share of cases a configuration axis must classify right to be preferred over a measured number. */
const SUBJECT_AXIS_ENOUGH = 0.8;

/**
 * The axis that best splits a region's holding cases from its failing ones: for each numeric
 * coordinate, the share of cases one threshold classifies right. A configuration axis (hidden size,
 * weight scale) is chosen when it classifies at least 80 % right; otherwise the best of all, which
 * may be a measured number (γ for VG-GAMMA-COMMON, where only the seed varies).
 */
export function splittingAxis(cases: readonly Case[]): string | null {
  const decided = cases.filter((c) => c.evaluation.holds !== null);
  const names = [...new Set(decided.flatMap((c) => coordinates(c).map(([k, , kind]) => `${kind}:${k}`)))];
  let best: { name: string; score: number } | null = null;
  let bestSubject: { name: string; score: number } | null = null;
  for (const name of names) {
    const pts = decided.flatMap((c) => coordinates(c).filter(([k, , kind]) => `${kind}:${k}` === name).map(([, v]) => ({ v, h: c.evaluation.holds === true })));
    if (pts.length < decided.length || new Set(pts.map((p) => p.v)).size < 2) continue;
    let score = 0;
    for (const t of pts.map((p) => p.v)) {
      const below = pts.filter((p) => (p.v <= t) === p.h).length;
      score = Math.max(score, below, pts.length - below);
    }
    const adjusted = score / pts.length + (name.startsWith('subject:') ? 1e-6 : 0);
    if (!best || adjusted > best.score) best = { name, score: adjusted };
    if (name.startsWith('subject:') && (!bestSubject || adjusted > bestSubject.score)) bestSubject = { name, score: adjusted };
  }
  // A configuration axis that tells 80 % of the cases apart says more than a measured number that is the predicate itself.
  const chosen = bestSubject && bestSubject.score >= SUBJECT_AXIS_ENOUGH ? bestSubject : best;
  return chosen ? chosen.name.slice(chosen.name.indexOf(':') + 1) : null;
}

/** Whether an Allure test runtime is registered in this test process (allure-vitest's setup file registers it under this global key). */
export function allureActive(): boolean {
  return typeof (globalThis as { allureTestRuntime?: unknown }).allureTestRuntime === 'function';
}

/**
 * Reports one (claim, region) run to Allure. The verdict label comes first (Allure shows labels
 * in the order they were set, after the framework's, which the report hides); epic = numbered
 * section, feature = claim with its verdict, the region as the test's name with its verdict,
 * counts and key range; readable parameters; the evidence plots, the counterexample and every case.
 */
export async function reportRegion(claim: Claim<Domain>, result: RegionResult, record: RegionRecord): Promise<void> {
  const region = claim.regions.find((r) => r.id === result.regionId)!;
  await allure.label('verdict', record.measured);
  await allure.label('role', region.role);
  await allure.label('expected', record.expected);
  await allure.displayName(regionTitle(claim, record));
  await allure.testCaseId(`${claim.id}/${region.id}`);
  await allure.epic(sectionEpic(claim.section));
  await allure.feature(claimNode(claim, await claimVerdict(claim)));
  await allure.story(region.id);
  await allure.label('claim', claim.id);
  // The section's own name, for tools reading the results (the epic carries its number); hidden in the report.
  await allure.label('section', claim.section);
  await allure.label('claimKind', claim.kind);
  await allure.tag(VERDICT_MARK[record.measured] ?? record.measured);
  for (const [name, value] of readableParameters(region.domain, result.cases.map((c) => c.subject))) await allure.parameter(name, value);
  await allure.parameter('cases', String(result.runs));
  await allure.parameter('in premise', `${result.runs - result.counts.outside} of ${result.runs}`);
  await allure.parameter('seed', String(result.seed), { excluded: true });
  await allure.parameter('backend', record.backend, { excluded: true });
  if (result.counterexample) await allure.parameter('path', result.counterexample.path, { excluded: true });
  await allure.description(describe(claim, record));
  await attachPlots(claim, result, region.id);
  if (result.budgets.length > 0) await allure.attachment('verdict by budget.csv', ['updates,verdict,holds,fails', ...result.budgets.map((b) => `${b.budget},${b.verdict},${b.holds},${b.fails}`)].join('\n'), { contentType: 'text/csv', fileExtension: 'csv' });
  if (result.counterexample) await allure.attachment('smallest counterexample.json', JSON.stringify({ ...record.counterexample, fastCheckSeed: result.seed }, null, 2), { contentType: 'application/json', fileExtension: 'json' });
  await allure.attachment('numbers.json', JSON.stringify(record, null, 2), { contentType: 'application/json', fileExtension: 'json' });
  await allure.attachment('cases.csv', casesCsv(result), { contentType: 'text/csv', fileExtension: 'csv' });
}

/** The vanilla RNN that gated and other mitigated cells are read against. */
const VANILLA_MODEL = 'rnn-demo';

/**
 * For a training region of a model other than a vanilla RNN, the vanilla RNN's held-out curves at
 * the same task, lag and seeds, drawn light, when this run trained them: the plan trains every model of a
 * (task, lag) together, so they are read from the same runs, never trained for the plot. Empty when
 * the plan (or this shard of it) has no vanilla RNN there, and on a plot of anything but the
 * held-out loss (a loss curve drawn on another quantity's axis would be read as that quantity).
 */
async function vanillaBeside(claim: Claim<Domain>, region: Claim<Domain>['regions'][number]): Promise<PlotSeries[]> {
  const d = region.domain;
  if (d.kind !== 'training' || d.lags.length !== 1 || d.model.startsWith('rnn-')) return [];
  // Loaded here, not at the top: a gradient claim's report (and a user's suite) never needs the training machinery.
  const [{ lossCurve, trainingRun }, { trainingPlan }, { engineOptionsFromEnv }, { LOSS_PLOT }] = await Promise.all([import('../claims/training/evidence.js'), import('../claims/training/plan.js'), import('../engine/options.js'), import('../claims/training/claim.js')]);
  if (claim.plot?.yTitle !== LOSS_PLOT.yTitle) return [];
  const engine = engineOptionsFromEnv();
  const plan = trainingPlan(engine.training, engine.trainingShard);
  if (!plan.tasks.some((t) => t.task === d.task && t.lags.includes(d.lags[0]) && t.models.includes(VANILLA_MODEL))) return [];
  const group = `${VANILLA_MODEL} (vanilla RNN), same lag and seeds`;
  try {
    const runs = await Promise.all(d.seeds.map((seed) => trainingRun(d.task, VANILLA_MODEL, d.lags[0], seed, plan)));
    return runs.map((cell) => ({ ...lossCurve(cell)[0], name: `${VANILLA_MODEL} seed ${cell.seed}`, light: true, group }));
  } catch {
    return [];
  }
}

/** The evidence plot (every case, median bold) and, for a split region, holds/fails against the axis that splits it. */
async function attachPlots(claim: Claim<Domain>, result: RegionResult, regionId: string): Promise<void> {
  if (claim.plot && result.cases.some((c) => (c.evaluation.series ?? []).length > 0)) {
    const series = [...evidenceSeries(result.cases), ...(await vanillaBeside(claim, claim.regions.find((r) => r.id === regionId)!))];
    const training = result.budgets.length > 0;
    const title = training || result.cases.length > 1 ? `${claim.plot.title}: ${regionId}, every ${training ? 'seed' : 'case'}${training ? '' : ' (faint), median bold'}` : `${claim.plot.title}: ${describeSubject(representative(result).subject)}`;
    const svg = await renderLineChartSvg({ title, xTitle: claim.plot.xTitle, yTitle: claim.plot.yTitle, series, width: 600, height: 320 });
    await allure.attachment(`${claim.id} evidence plot (every ${training ? 'seed' : 'case'}).svg`, svg, { contentType: 'image/svg+xml', fileExtension: 'svg' });
  }
  const axis = result.counts.holds > 0 && result.counts.fails > 0 ? splittingAxis(result.cases) : null;
  if (axis) {
    const points = result.cases.filter((c) => c.evaluation.holds !== null).map((c) => ({ x: coordinates(c).find(([k]) => k === axis)?.[1] ?? Number.NaN, outcome: c.evaluation.holds ? 'holds' as const : 'fails' as const }));
    const svg = await renderScatterSvg({ title: `${claim.id} ${regionId}: where the region splits (${result.counts.holds} hold, ${result.counts.fails} fail)`, xTitle: axis, points, width: 600, height: 220 });
    await allure.attachment(`${claim.id} split against ${axis}.svg`, svg, { contentType: 'image/svg+xml', fileExtension: 'svg' });
  }
}
