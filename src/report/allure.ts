import * as allure from 'allure-js-commons';
import { claimNode, regionTitle, sectionEpic } from './allure-labels.js';
import { describeSubject, readableParameters } from './describe.js';
import type { RegionOutcome } from './outcome.js';
import { renderLineChartSvg, renderScatterSvg } from './plot.js';
import { coordinates, evidenceSeries, splittingAxis } from './plot-stats.js';
import { budgetsCsv, casesCsv, regionMarkdown } from './region-markdown.js';
import { representative } from './region-record.js';
import { verdictWord } from './verdict-words.js';

/**
 * A region's outcome in the Allure report: labels, parameters, description, plots and
 * attachments, all read from the outcome (report/outcome.ts) its caller built. Nothing here reads
 * the registry, the training plan or the environment, and nothing measures or trains.
 */

export { allureActive } from './allure-labels.js';

/**
 * Reports one (claim, region) run to Allure. The verdict label comes first (Allure shows labels
 * in the order they were set, after the framework's, which the report hides); epic = numbered
 * section, feature = claim with its verdict, the region as the test's name with its verdict,
 * counts and key range; readable parameters; the evidence plots, the counterexample and every case.
 */
export async function reportRegion(outcome: RegionOutcome): Promise<void> {
  const { claim, region, record, result } = outcome;
  await allure.label('verdict', record.measured);
  await allure.label('role', region.role);
  await allure.label('expected', record.expected);
  await allure.displayName(regionTitle(record, outcome.keyNumber));
  await allure.testCaseId(`${claim.id}/${region.id}`);
  await allure.epic(sectionEpic(claim.section));
  await allure.feature(claimNode(claim, outcome.claimVerdict));
  await allure.story(region.id);
  await allure.label('claim', claim.id);
  // The section's own name, for tools reading the results (the epic carries its number); hidden in the report.
  await allure.label('section', claim.section);
  await allure.label('claimKind', claim.kind);
  await allure.tag(verdictWord(record.measured));
  for (const [name, value] of readableParameters(
    region.domain,
    outcome.cases.map((c) => c.subject),
  ))
    await allure.parameter(name, value);
  await allure.parameter('cases', String(result.runs));
  await allure.parameter('in premise', `${result.runs - outcome.counts.outside} of ${result.runs}`);
  await allure.parameter('seed', String(outcome.run.seed), { excluded: true });
  await allure.parameter('backend', outcome.run.backend, { excluded: true });
  if (result.counterexample) await allure.parameter('path', result.counterexample.path, { excluded: true });
  await allure.description(regionMarkdown(outcome));
  await attachPlots(outcome);
  if (result.budgets.length > 0) await allure.attachment('verdict by budget.csv', budgetsCsv(result), { contentType: 'text/csv', fileExtension: 'csv' });
  if (result.counterexample)
    await allure.attachment('smallest counterexample.json', JSON.stringify({ ...record.counterexample, fastCheckSeed: outcome.run.seed }, null, 2), {
      contentType: 'application/json',
      fileExtension: 'json',
    });
  await allure.attachment('numbers.json', JSON.stringify(record, null, 2), { contentType: 'application/json', fileExtension: 'json' });
  await allure.attachment('cases.csv', casesCsv(result), { contentType: 'text/csv', fileExtension: 'csv' });
}

/**
 * The evidence plot (every case, median bold, and the caller's reference curves beside them) and,
 * for a split region, holds/fails against the axis that splits it.
 */
async function attachPlots(outcome: RegionOutcome): Promise<void> {
  const { claim, region, result, cases } = outcome;
  if (claim.plot && cases.some((c) => (c.evaluation.series ?? []).length > 0)) {
    const series = [...evidenceSeries(cases), ...outcome.beside];
    const training = result.budgets.length > 0;
    const title =
      training || cases.length > 1
        ? `${claim.plot.title}: ${region.id}, every ${training ? 'seed' : 'case'}${training ? '' : ' (faint), median bold'}`
        : `${claim.plot.title}: ${describeSubject(representative(result).subject)}`;
    const svg = await renderLineChartSvg({ title, xTitle: claim.plot.xTitle, yTitle: claim.plot.yTitle, series, width: 600, height: 320 });
    await allure.attachment(`${claim.id} evidence plot (every ${training ? 'seed' : 'case'}).svg`, svg, { contentType: 'image/svg+xml', fileExtension: 'svg' });
  }
  const axis = outcome.counts.holds > 0 && outcome.counts.fails > 0 ? splittingAxis(cases) : null;
  if (axis) {
    const points = cases
      .filter((c) => c.evaluation.holds !== null)
      .map((c) => ({ x: coordinates(c).find(([k]) => k === axis)?.[1] ?? Number.NaN, outcome: c.evaluation.holds ? ('holds' as const) : ('fails' as const) }));
    const svg = await renderScatterSvg({
      title: `${claim.id} ${region.id}: where the region splits (${outcome.counts.holds} hold, ${outcome.counts.fails} fail)`,
      xTitle: axis,
      points,
      width: 600,
      height: 220,
    });
    await allure.attachment(`${claim.id} split against ${axis}.svg`, svg, { contentType: 'image/svg+xml', fileExtension: 'svg' });
  }
}
