import * as allure from 'allure-js-commons';
import type { Claim, Domain } from '../claims/types.js';
import type { RegionResult } from '../engine/run-region.js';
import { renderLineChartSvg } from './plot.js';
import { describeSubject, domainAxes, type RegionRecord, representative, roundNumbers } from './region-record.js';

/** Markdown description of a region's run: the claim, how it is decided, what was measured, how to replay it. */
function describe(claim: Claim, record: RegionRecord): string {
  const lines = [
    `**${claim.id}** (${claim.kind}, section *${claim.section}*)`,
    '',
    claim.statement,
    '',
    `**Predicate.** ${claim.predicate}`,
  ];
  if (claim.boundary) lines.push('', `**Boundary.** ${claim.boundary}`);
  lines.push(
    '',
    `**Region \`${record.regionId}\`.** ${record.region}`,
    '',
    `**Expected** ${record.expected}; **measured** ${record.measured}: predicate held on ${record.counts.holds} of ${record.runs} sampled cases, failed on ${record.counts.fails}, numerically broken on ${record.counts.broken}.`,
  );
  if (record.budgets && record.budgets.length > 0) {
    lines.push('', `**Verdict by budget** (no extra training: each run read at every budget${record.measured === 'budget-limited' ? `; budget-limited: at half the cap the verdict differs from the one at the cap, ${record.capVerdict}` : ''}):`, '', '| updates | verdict | seeds where the predicate holds / fails |', '|---|---|---|');
    for (const b of record.budgets) lines.push(`| ${b.budget} | ${b.verdict} | ${b.holds} / ${b.fails} |`);
  }
  if (record.counterexample) lines.push('', `**Smallest counterexample** (after ${record.counterexample.shrinks} shrinks): ${record.counterexample.subject}`);
  if (record.broken) lines.push('', `**Numerically broken:** ${record.broken}`);
  const domain = claim.regions.find((r) => r.id === record.regionId)?.domain;
  if (domain?.kind === 'training') {
    lines.push('', `**Replay:** every listed seed is one deterministic training run: \`VG_CLAIMS=${claim.id} VG_TRAINING=${process.env.VG_TRAINING || 'reduced'} npx vitest run --project claims specs/claims/11-training.test.ts\`${record.counterexample ? `; the first failing run is ${record.counterexample.subject}` : ''}. Backend: ${record.backend}.`);
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
    return [describeSubject(c.subject), c.evaluation.holds === null ? 'broken' : c.evaluation.holds ? 'holds' : 'fails', ...keys.map((k) => n[k])].map(cell).join(',');
  });
  return [['subject', 'predicate', ...keys].map(cell).join(','), ...rows].join('\n');
}

/**
 * Whether an Allure test runtime is registered in this test process (allure-vitest's setup file
 * registers it under this global key before the tests run). Without one, allure-js-commons only
 * prints "no test runtime is found" for every call, so nothing is sent.
 */
export function allureActive(): boolean {
  return typeof (globalThis as { allureTestRuntime?: unknown }).allureTestRuntime === 'function';
}

/**
 * Reports one (claim, region) run to Allure: epic = section, feature = claim, story = region,
 * the region's configuration axes as parameters (seed excluded from history), a verdict
 * label, the evidence plot, the counterexample and the table of every case.
 */
export async function reportRegion(claim: Claim<Domain>, result: RegionResult, record: RegionRecord): Promise<void> {
  const region = claim.regions.find((r) => r.id === result.regionId)!;
  await allure.displayName(`${claim.id} [${region.id}]: ${claim.statement}`);
  await allure.testCaseId(`${claim.id}/${region.id}`);
  await allure.epic(claim.section);
  await allure.feature(claim.id);
  await allure.story(region.id);
  await allure.label('verdict', record.measured);
  await allure.label('expected', record.expected);
  await allure.label('claimKind', claim.kind);
  for (const [name, value] of Object.entries(domainAxes(region.domain))) await allure.parameter(name, value);
  await allure.parameter('runs', String(result.runs));
  await allure.parameter('seed', String(result.seed), { excluded: true });
  await allure.parameter('backend', record.backend, { excluded: true });
  if (result.counterexample) await allure.parameter('path', result.counterexample.path, { excluded: true });
  await allure.description(describe(claim, record));
  const rep = representative(result);
  if (result.budgets.length > 0) {
    await allure.label('capVerdict', result.capVerdict);
    if (claim.plot) {
      // Every seed's line (its series are not dashed); the dashed markers (criterion, cap) once.
      const series = [...result.cases.flatMap((c) => (c.evaluation.series ?? []).filter((x) => !x.dashed)), ...(rep.evaluation.series ?? []).filter((x) => x.dashed)];
      const svg = await renderLineChartSvg({ title: `${claim.plot.title}: ${region.id}`, xTitle: claim.plot.xTitle, yTitle: claim.plot.yTitle, series, width: 560, height: 320 });
      await allure.attachment(`${claim.id} evidence plot (every seed).svg`, svg, { contentType: 'image/svg+xml', fileExtension: 'svg' });
    }
    await allure.attachment('verdict by budget.csv', ['updates,verdict,holds,fails', ...result.budgets.map((b) => `${b.budget},${b.verdict},${b.holds},${b.fails}`)].join('\n'), { contentType: 'text/csv', fileExtension: 'csv' });
  } else if (claim.plot && rep.evaluation.series && rep.evaluation.series.length > 0) {
    const svg = await renderLineChartSvg({ title: `${claim.plot.title}: ${describeSubject(rep.subject)}`, xTitle: claim.plot.xTitle, yTitle: claim.plot.yTitle, series: rep.evaluation.series, width: 520, height: 300 });
    await allure.attachment(`${claim.id} evidence plot.svg`, svg, { contentType: 'image/svg+xml', fileExtension: 'svg' });
  }
  if (result.counterexample) {
    await allure.attachment('smallest counterexample.json', JSON.stringify({ ...record.counterexample, seed: result.seed }, null, 2), { contentType: 'application/json', fileExtension: 'json' });
  }
  await allure.attachment('numbers.json', JSON.stringify(record, null, 2), { contentType: 'application/json', fileExtension: 'json' });
  await allure.attachment('cases.csv', casesCsv(result), { contentType: 'text/csv', fileExtension: 'csv' });
}
