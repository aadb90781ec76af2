import { trainingPlan } from '../src/claims/training/plan.js';
import { HISTORY_LIMIT } from '../src/cli/report.js';
import { DEFAULT_FC_SEED } from '../src/engine/options.js';
import { BACKEND_INDEPENDENT_SPECS } from './backend-independent.js';

/**
 * The figures the README states about the tests (how much bad input is tried, how many runs are
 * compared, the longest sequence checked). The tests take their sizes from here and
 * specs/cli/readme-figures.test.ts checks the README says the same, so neither can drift.
 */

/** Hand-picked bad config files for `vg profile --config` (text, the field the error must name). */
export const BAD_CONFIG_FILES: ReadonlyArray<readonly [string, string]> = [
  ['{"hiddenSize": -1}', 'hiddenSize'],
  ['{"seqLength": 2.5}', 'seqLength'],
  ['{"hiddenSize": 1000000}', 'hiddenSize'],
  ['{"activation": "softplus"}', 'activation'],
  ['{"hidenSize": 8}', 'hidenSize'],
  ['[1, 2]', 'config'],
  ['not json', '--config'],
  ['', '--config'],
  ['{"recurrentInit": {"kind": "normal", "std": "NaN"}}', 'recurrentInit.std'],
];

/** Hand-picked bad `vg` command lines (arguments, the text stderr must contain). */
export const BAD_COMMAND_LINES: ReadonlyArray<readonly [readonly string[], string]> = [
  [['verify', '--runs', '-3'], '--runs: got "-3", expected an integer in [1, 10000]'],
  [['verify', '--seed', '-1'], '--seed: got "-1", expected an integer in [0, 2147483647]'],
  [['verify', '--nope'], '--nope'],
  [['frobnicate'], 'frobnicate'],
  [['report', '/nonexistent/vg-no-such-results'], 'results'],
  [['verify', '--training', 'huge'], '--training'],
  [['verify', '--config', '/nonexistent/vg-config.json'], '--config'],
  [['verify', '--jobs', '0'], '--jobs'],
];

/** Hand-picked corrupt or empty Allure results directories for `vg report` (name, files in the directory). */
export const BAD_ALLURE_RESULTS: ReadonlyArray<readonly [string, Readonly<Record<string, string>>]> = [
  ['empty directory', {}],
  ['only attachments', { 'a-attachment.svg': '<svg/>' }],
  ['truncated JSON', { 'a-result.json': '{"name": "x", "status": ' }],
  ['not JSON', { 'a-result.json': 'garbage' }],
  ['a JSON array', { 'a-result.json': '[1, 2]' }],
  ['no status', { 'a-result.json': '{"name": "x"}' }],
  ['one good, one corrupt', { 'a-result.json': '{"uuid": "1", "name": "ok", "status": "passed", "labels": []}', 'b-result.json': '{"name": ' }],
  [
    'no claim result (engine tests only)',
    { 'a-result.json': '{"uuid": "1", "name": "should invert a matrix", "status": "passed", "labels": [{"name": "backend", "value": "cpu"}]}' },
  ],
];

/** fast-check cases per run: the configuration validator (one engine project: it runs no tfjs op) and the `verify` flags. */
export const CONFIG_FUZZ_RUNS = 500;
export const FLAG_FUZZ_RUNS = 300;

/**
 * Claim-suite runs compared for byte-identical summaries: the unsharded run and the merged shards.
 * A third same-seed run of the shards' sections repeated what the shards measure.
 */
export const REPEATED_RUNS = 2;

/** The longest sequence the engine and gradientProfile are checked at. */
export const LONGEST_SEQUENCE = 1000;

/** Extreme but valid configurations per run for which `vg profile`, and models for which gradientProfile, must print and return no NaN or ±∞ without its flag. */
export const PROFILE_FUZZ_RUNS = 6;
/** The longest sequence those fuzzed configurations and models reach. */
export const FUZZED_LONGEST_SEQUENCE = 4000;

/**
 * Values the code uses that the README's CLI section states (the help prints the same constants,
 * src/cli/help.ts): the default fast-check seed, the history's length, and the training plans' sizes.
 */
const plan = (profile: 'full' | 'reduced') => trainingPlan(profile);
/** Runs a plan trains, counted here rather than by help.ts's planRuns, so the help is checked against the plan itself. */
const runsOf = (profile: 'full' | 'reduced'): number => plan(profile).tasks.flatMap((t) => t.models.flatMap(() => t.lags)).length * plan(profile).seeds.length;
export const PLAN_RUNS = { full: runsOf('full'), reduced: runsOf('reduced') } as const;
export const CLI_FIGURES: Readonly<Record<string, number>> = {
  'default-seed': DEFAULT_FC_SEED,
  'history-limit': HISTORY_LIMIT,
  'full-plan-runs': runsOf('full'),
  'full-plan-seeds': plan('full').seeds.length,
  'reduced-plan-runs': runsOf('reduced'),
};

/** The figures as the README shows them: `<!-- figure:NAME -->VALUE<!-- /figure -->`. */
export const README_FIGURES: Readonly<Record<string, number>> = {
  'config-fuzz-runs': CONFIG_FUZZ_RUNS,
  'flag-fuzz-runs': FLAG_FUZZ_RUNS,
  'bad-config-files': BAD_CONFIG_FILES.length,
  'bad-command-lines': BAD_COMMAND_LINES.length,
  'bad-allure-results': BAD_ALLURE_RESULTS.length,
  // The validator's fuzz runs no tfjs op, so in one engine project only (specs/backend-independent.ts):
  // it had run in two with the same seed, the same 500 configurations twice.
  'bad-inputs-per-run': CONFIG_FUZZ_RUNS + FLAG_FUZZ_RUNS + BAD_CONFIG_FILES.length + BAD_COMMAND_LINES.length + BAD_ALLURE_RESULTS.length,
  'repeated-runs': REPEATED_RUNS,
  // Engine specs that run no tfjs arithmetic kernel, so in engine-wasm only (backend-guard.ts fails a listed one that does).
  'backend-independent-specs': BACKEND_INDEPENDENT_SPECS.length,
  'longest-sequence': LONGEST_SEQUENCE,
  'profile-fuzz-runs': PROFILE_FUZZ_RUNS,
  'fuzzed-longest-sequence': FUZZED_LONGEST_SEQUENCE,
  ...CLI_FIGURES,
};
