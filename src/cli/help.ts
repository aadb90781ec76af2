import { SECTIONS } from '../engine/types.js';
import { BACKEND_NAMES } from '../backend/resolve.js';
import { TRAINING_PROFILES, type TrainingPlan, trainingPlan } from '../claims/training/plan.js';
import { DEMO_CONFIG, MAX_SEQ_LENGTH, MIN_PROFILE_STEPS } from '../config/types.js';
import { DEFAULT_FC_SEED } from '../engine/options.js';
import { DEFAULT_TRAINING, type FlagSpec, JOBS_RANGE, PROFILE_FLAGS, RUNS_RANGE, SEED_RANGE, VERDICTS, flagLines, synopsis, usage, wrap } from './flags.js';

export { PROFILE_FLAGS, parseOptions } from './flags.js';
import { HISTORY_LIMIT } from './report.js';

/**
 * The flags of `vg verify` and `vg report` (flags.ts has `vg profile`'s) and the --help of each
 * command, built from the flag tables: every number in them (ranges, defaults, the training plans'
 * sizes) is read from the constant the code uses. specs/cli/help.test.ts compares the help and the
 * README's CLI section with those values.
 */

/** How many training runs a plan trains: every (task, model, lag) once per seed. */
export function planRuns(plan: TrainingPlan): number {
  return plan.tasks.reduce((n, t) => n + t.models.length * t.lags.length, 0) * plan.seeds.length;
}

/** One plan in a sentence, from the plan itself. */
function planLine(plan: TrainingPlan): string {
  const models = [...new Set(plan.tasks.flatMap((t) => t.models))];
  const tasks = plan.tasks.map((t) => `${t.task} at lag${t.lags.length > 1 ? 's' : ''} ${t.lags.join(', ')}`).join(' and ');
  return (
    `${models.length} models (${models.join(', ')}) on ${tasks}, ${plan.seeds.length} seeds: ` +
    `${planRuns(plan)} runs, each to its criterion or ${plan.budget.steps} updates`
  );
}

/** The training profiles, the default first. */
const PROFILES = [DEFAULT_TRAINING, ...TRAINING_PROFILES.filter((p) => p !== DEFAULT_TRAINING)];

const PLAN_ROLE: Record<string, string> = { full: 'the published experiment, the longest part of a run', reduced: 'what npm test runs' };

/** The flags of `vg verify`, in the synopsis's order. */
export const VERIFY_FLAGS: readonly FlagSpec[] = [
  { name: 'claim', type: 'string', multiple: true, value: 'ID', help: 'only this claim (repeatable)' },
  { name: 'section', type: 'string', multiple: true, value: 'NAME', help: `only this document section (repeatable): ${SECTIONS.join('; ')}` },
  { name: 'verdict', type: 'string', multiple: true, value: VERDICTS.join('|'), short: 'V', help: 'only claims whose expected verdict is V (repeatable)' },
  {
    name: 'backend',
    type: 'string',
    value: BACKEND_NAMES.join('|'),
    short: 'NAME',
    help: 'force a tfjs backend (default: the first that loads, in this order)',
  },
  {
    name: 'seed',
    type: 'string',
    value: 'N',
    help: `fast-check seed, an integer in [${SEED_RANGE.join(', ')}] (default ${DEFAULT_FC_SEED}); same seed, same report`,
  },
  { name: 'runs', type: 'string', value: 'N', help: `sampled cases per region instead of each region's own number, an integer in [${RUNS_RANGE.join(', ')}]` },
  {
    name: 'shard',
    type: 'string',
    value: 'i/N',
    help: 'run one shard: the gradient claim specs split by file (vitest --shard), the training runs by estimated cost',
  },
  {
    name: 'jobs',
    type: 'string',
    value: 'N',
    help:
      `workers: claim spec processes, and threads training the runs behind the training claims, an integer ` +
      `in [${JOBS_RANGE.join(', ')}] (default: one per core, os.availableParallelism())`,
  },
  {
    name: 'training',
    type: 'string',
    value: PROFILES.join('|'),
    short: 'P',
    help:
      `the training runs behind the training claims. ` +
      `${PROFILES.map((p) => `${p}${p === DEFAULT_TRAINING ? ' (default)' : ''}, ${PLAN_ROLE[p] ?? p}: ${planLine(trainingPlan(p))}.`).join(' ')}`,
  },
  {
    name: 'config',
    type: 'string',
    value: 'FILE',
    help:
      'a JSON object of ModelConfig fields (as for vg profile) pinned in every region over model ' +
      'configurations; other claims are left out. A verdict that differs from the registered one shows ' +
      'where your settings move a claim',
  },
  {
    name: 'out',
    type: 'string',
    value: 'DIR',
    help:
      'the output root (default ./reports). Each run writes into DIR/runs/<id>/ (allure-results/, ' +
      'evidence/, allure-report/, claims.json, CLAIMS.md, verdicts.svg and verdicts-NN.svg, run.json), ' +
      'DIR/latest.json names the newest finished run, and DIR/history.jsonl keeps the trend. A full run ' +
      'publishes DIR/claims.json, CLAIMS.md and TRAINING.md; any other, DIR/partial/',
  },
  { name: 'no-report', type: 'boolean', help: 'skip the HTML report (the Allure results are still written)' },
  {
    name: 'seeds',
    type: 'string',
    value: 'A,B,...',
    help:
      'seed sweep: the gradient claims run once per seed (the first is the one published; training claims ' +
      "run once, their seeds are the plan's). Fails when a region's verdict differs between seeds, naming " +
      'the region, the counts per seed and the counterexample; publishes the pooled counts',
  },
  {
    name: 'record',
    type: 'boolean',
    help:
      'record mode, for a new training claim or plan: a training region with no stated expectation runs and ' +
      'its measured verdict is written to DIR/partial/expectations.json for review, instead of failing the ' +
      'run. Never use it to make a failing run pass: nothing it writes is read back',
  },
];

/** The flags of `vg report`. */
export const REPORT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'out',
    type: 'string',
    value: 'DIR',
    help: "where the report goes (default: the run's own DIR/runs/<id>/allure-report/ for one run; ./reports/allure-report/ for a merge of several inputs)",
  },
  {
    name: 'history',
    type: 'string',
    value: 'FILE.jsonl',
    help: `the history file (default: the output root's history.jsonl, the one vg verify writes; kept to the last ${HISTORY_LIMIT} runs)`,
  },
  {
    name: 'overview',
    type: 'string',
    value: 'FILE.svg',
    help: "the verdict matrix to attach (default: the run's verdicts.svg; beside a plain results directory, its verdicts.svg when not older than the results)",
  },
  {
    name: 'evidence',
    type: 'string',
    multiple: true,
    value: 'DIR',
    help: "directories of region records whose key numbers the report tracks (default: the run's, or evidence/ beside each results directory)",
  },
  {
    name: 'summary',
    type: 'string',
    multiple: true,
    value: 'FILE.json',
    help: "the claims.json the verdict site shows (default: each run's own; several are merged)",
  },
];

/** The positional part of `vg report`'s synopsis. */
export const REPORT_LEAD = ['[RESULTS_DIR]...'];

/** `vg verify --help`. */
export async function verifyHelp(): Promise<string> {
  const { CLAIMS } = await import('../claims/registry.js');
  return [
    ...usage(synopsis('verify', VERIFY_FLAGS)),
    '',
    ...flagLines(VERIFY_FLAGS),
    '',
    'A selection (--claim, --section, --verdict, --config) that matches no claim is bad input: exit 2, ' +
      "naming the flags, before anything runs. No run deletes or overwrites another's results, evidence or " +
      'report. Needs vitest and allure-vitest (and allure for the report) installed beside this package.',
    '',
    `Claims: ${CLAIMS.map((c) => c.id).join(', ')}`,
  ]
    .flatMap((l) => (l.length > 94 ? wrap(l.split(' '), '', 0) : [l]))
    .join('\n');
}

/** `vg report --help`. */
export function reportHelp(): string {
  return [
    ...usage(synopsis('report', REPORT_FLAGS, REPORT_LEAD)),
    '',
    ...wrap(
      (
        `Builds the Allure HTML report. With no RESULTS_DIR: the latest finished run that ` +
        `./reports/latest.json names, into that run's own allure-report/. A RESULTS_DIR may be an output root ` +
        `(its latest run), a run directory (reports/runs/<id>), or an Allure results directory; several are ` +
        `merged into one report (CI shards). Only claim results go in; engine and CLI tests are left out. ` +
        `Refused, exit 2, naming them: missing, corrupt or empty results, results without a claim result, a ` +
        `run that never finished, and an --out whose report is built from more or newer claim results than ` +
        `these inputs (a report is never replaced by a worse one). Beside the report, in the directory above ` +
        `--out (the run directory for one run), goes the verdict site: index.html, the verdicts first and the ` +
        `evidence one click behind, with site-plots/; it is built from the runs' claims.json alone. Nothing ` +
        `else is written outside --out but the history file.`
      ).split(' '),
      '',
      0,
    ),
    '',
    ...flagLines(REPORT_FLAGS),
    '',
    'Needs the allure CLI installed beside this package (npm install --save-dev allure).',
  ].join('\n');
}

/** `vg profile --help`, its defaults read from DEMO_CONFIG and the profile's range of T. */
export function profileHelp(): string {
  const d = DEMO_CONFIG;
  const init = d.recurrentInit.kind === 'uniform' ? `U(${d.recurrentInit.low}, ${d.recurrentInit.high})` : d.recurrentInit.kind;
  return [
    ...usage(synopsis('profile', PROFILE_FLAGS)),
    '',
    ...flagLines(PROFILE_FLAGS),
    '',
    ...wrap(
      (
        `The temporal gradient profile of one configuration: log10 ‖∂L/∂h_t‖ and ‖∂L/∂x_t‖ for L = Σ h_{T−1} ` +
        `(‖∂L/∂s_t‖, s_t = [h_t; c_t], for the LSTM), from tfjs (float32) and from the float64 oracle, ` +
        `printed as a table and drawn as an SVG. FILE is a JSON object with any ModelConfig fields; the ` +
        `others take the document's demo values (architecture ${d.architecture}, ${d.activation}, H = ` +
        `${d.hiddenSize}, D = ${d.inputSize}, T = ${d.seqLength}, weights ${init}). T runs from ` +
        `${MIN_PROFILE_STEPS} to ${MAX_SEQ_LENGTH} steps, as for gradientProfile.`
      ).split(' '),
      '',
      0,
    ),
    '',
    ...wrap(
      (
        `Where float32 fails, the tfjs columns say so instead of printing a number: "underflow" (every entry ` +
        `below float32's normal range, 0 included) and "overflow" (±∞ or NaN, or computed from one: after a ` +
        `forward overflow every tfjs value but the seed ∂L/∂h_{T−1} = 1 is). A footer names the quantity and ` +
        `the first step that overflowed. A tfjs value farther from float64 than float32 rounding explains is ` +
        `marked ≠ with the gap; the footer states the tolerance and its derivation. The float64 columns are ` +
        `flagged the same way: "overflow" where the oracle's own forward state or backward chain held ±∞ or ` +
        `NaN (for that value and every one computed through it; a footer names the quantity and step, and ` +
        `tfjs is not compared there), "zero" where float64 computed exactly 0. The plot's x axis spans every ` +
        `step, and a note under its title says where each line is not drawn and why.`
      ).split(' '),
      '',
      0,
    ),
    '',
    ...wrap(
      (
        'Exit status: 0 when the profile was measured, whether or not float32 underflowed, overflowed or ' +
        'disagreed with float64 (the flags are the result); 2 for bad input.'
      ).split(' '),
      '',
      0,
    ),
  ].join('\n');
}
