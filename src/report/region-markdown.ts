import type { Case, RegionResult } from '../engine/run-region.js';
import { PREMISE_RULE } from '../engine/types.js';
import { keyRangeText } from './allure-labels.js';
import { describeSubject } from './describe.js';
import { DECISION_RULE, verdictMeaning } from './meaning.js';
import type { RegionOutcome } from './outcome.js';
import { fillProse } from './prose.js';
import { roundNumbers } from './region-record.js';
import { roleOf } from './summary.js';
import { verdictWord } from './verdict-words.js';

/**
 * The text attachments of a region's result: its description in Markdown (the claim, how it is
 * decided, what was measured, how to replay it) and its cases as CSV.
 */

/** Markdown description of a region's run: the claim, how it is decided, what was measured, how to replay it. */
export function regionMarkdown(outcome: RegionOutcome): string {
  const { claim, record, region } = outcome;
  const counted = record.counts.holds + record.counts.fails + record.counts.broken;
  const outside = record.counts.outside ?? 0;
  const boundary = roleOf(record) === 'boundary';
  const role = boundary
    ? `**Boundary probe**: this region explores beyond the claim's premise; its verdict is reported here ` +
      `and never enters the claim's. ${outside} of its ${record.runs} cases miss the premise.`
    : `**Premise region**: this region decides the claim. ` +
      `${outside === 0 ? `All ${record.runs} cases meet the premise.` : `${record.runs - outside} of its ${record.runs} cases meet the premise; the ${outside} others are counted as outside it, never as refutations.`}`;
  // Numbers the prose quotes from other regions are not known while this one reports: CLAIMS.md has them filled.
  const prose = (text: string): string => fillProse(text, [record], (p) => `(measured in region ${p.region}: see CLAIMS.md)`);
  const lines = [
    `**${verdictWord(record.measured)}**: the predicate holds on ` +
      `${record.counts.holds} of ${counted} ` +
      `cases${record.matches ? ' (as registered)' : ` — **expected ${record.expected}**`}.`,
    '',
    role,
    '',
    `**${claim.id}** (${claim.kind}, section *${claim.section}*)`,
    '',
    claim.statement,
    '',
    `**Premise.** ${prose(claim.premise.text)}`,
    '',
    `**Predicate.** ${prose(claim.predicate)}`,
  ];
  const ids = (role: 'premise' | 'boundary'): string =>
    claim.regions
      .filter((r) => r.role === role)
      .map((r) => `\`${r.id}\``)
      .join(', ');
  lines.push(
    '',
    `**Audit.** Decided on its premise regions: ${ids('premise') || 'none in this run'}${ids('boundary') ? `; boundary probes: ${ids('boundary')}` : ''}.`,
  );
  if (claim.reading) lines.push('', `**Reading.** ${prose(claim.reading)}`);
  if (claim.boundary) lines.push('', `**Boundary.** ${prose(claim.boundary)}`);
  if (record.premiseError) lines.push('', `**Error:** ${record.premiseError}`);
  lines.push(
    '',
    `**Region \`${record.regionId}\`.** ${record.region}`,
    '',
    `**Expected** ${record.expected}; **measured** ${record.measured}: predicate held on ` +
      `${record.counts.holds} of ${counted} ${boundary ? 'sampled cases' : 'cases inside the premise'}, ` +
      `failed on ${record.counts.fails}, numerically broken on ${record.counts.broken}. What that says: ` +
      `${verdictMeaning(record.measured, record.counts, record.rule)}.`,
    '',
    `*${PREMISE_RULE}*`,
    '',
    `*${DECISION_RULE}*`,
  );
  const key = keyRangeText(outcome.keyNumber);
  if (key)
    lines.push(
      '',
      `**Key number** (${outcome.claim.keyNumber ? 'as the claim declares it' : 'the claim declares none: the first number its evaluation reports'}): ${key}.`,
    );
  if (record.budgets && record.budgets.length > 0) {
    lines.push(
      '',
      `**Verdict by budget** (no extra training: each run read at every ` +
        `budget${record.measured === 'budget-limited' ? `; budget-limited: at half the cap the verdict differs from the one at the cap, ${record.capVerdict}` : ''}):`,
      '',
      '| updates | verdict | seeds where the predicate holds / fails |',
      '|---|---|---|',
    );
    for (const b of record.budgets) lines.push(`| ${b.budget} | ${b.verdict} | ${b.holds} / ${b.fails} |`);
  }
  if (record.counterexample) lines.push('', `**Smallest counterexample** (after ${record.counterexample.shrinks} shrinks): ${record.counterexample.subject}`);
  if (record.broken) lines.push('', `**Numerically broken:** ${record.broken}`);
  if (region.domain.kind === 'training') {
    lines.push(
      '',
      `**Replay:** every listed seed is one deterministic training run: \`npx vg verify --claim ${claim.id} ` +
        `--training full\` (or \`--training reduced\` for the reduced ` +
        `plan)${record.counterexample ? `; the first failing run is ${record.counterexample.subject}` : ''}. ` +
        `Backend: ${record.backend}.`,
    );
  } else {
    lines.push(
      '',
      `**Replay:** \`VG_FC_SEED\` run seed gives region seed ${record.seed}; fast-check ` +
        `\`fc.check(property, { seed: ` +
        `${record.seed}${record.counterexample ? `, path: '${record.counterexample.path}'` : ''} })\`. ` +
        `Backend: ${record.backend}.`,
    );
  }
  return lines.join('\n');
}

/** A CSV of every sampled case: the subject and the numbers behind its decision. */
export function casesCsv(result: RegionResult): string {
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

/** The verdict at each budget of a training region's ladder, as CSV. */
export function budgetsCsv(result: RegionResult): string {
  return ['updates,verdict,holds,fails', ...result.budgets.map((b) => `${b.budget},${b.verdict},${b.holds},${b.fails}`)].join('\n');
}
