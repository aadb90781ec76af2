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
  [['verify', '--runs', '-3'], '--runs'],
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
  'longest-sequence': LONGEST_SEQUENCE,
};
