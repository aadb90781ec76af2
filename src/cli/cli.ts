import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors.js';
import { SECTIONS } from '../engine/types.js';
import { outsideNodeModules } from './paths.js';
import { MissingPeerError, requirePeers } from './peers.js';

// Only light modules are imported up front, so `vg --help` starts in well under a second; each
// command loads tfjs and the claim registry when it runs.

const MAIN_HELP = `vg: verifies, by experiment on TensorFlow.js models, what vanishing-gradients.md says.

Usage: vg <command> [options]

Commands:
  verify    run the claims and write reports/CLAIMS.md, reports/claims.json and the HTML report
  profile   temporal gradient profile of one configuration (table and SVG)
  report    build the HTML report from existing Allure results

Outputs go to ./reports under the current directory (or --out DIR), never into node_modules.
Run \`vg <command> --help\` for a command's options. Exit codes: 0 every verdict matches its
expectation, 1 one does not, 2 bad input or a missing peer package.`;

async function verifyHelp(): Promise<string> {
  const { CLAIMS } = await import('../claims/registry.js');
  return `Usage: vg verify [--claim ID]... [--section NAME]... [--verdict holds|refuted|conditional]
                 [--backend node-gpu|node|wasm|cpu] [--seed N] [--runs N] [--shard i/N]
                 [--jobs N] [--training full|reduced] [--config FILE] [--out DIR] [--no-report]
                 [--seeds A,B,...] [--record]

  --claim ID       only this claim (repeatable)
  --section NAME   only this document section (repeatable): ${SECTIONS.join('; ')}
  --verdict V      only claims whose expected verdict is V
  --backend NAME   force a tfjs backend (default: the first that loads)
  --seed N         fast-check seed (default 424242); same seed, same report
  --seeds A,B,...  seed sweep: the gradient claims run once per seed (the first is the one
                   published; training claims run once, their seeds are the plan's). Fails
                   when a region's verdict differs between seeds, naming the region, the
                   counts per seed and the counterexample; publishes the pooled counts
  --runs N         sampled cases per region instead of each region's own number
  --shard i/N      run one shard: the gradient claim specs split by file (vitest --shard),
                   the training runs by estimated cost
  --jobs N         workers: claim spec processes, and threads training the runs behind the
                   training claims (default: one per core, os.availableParallelism())
  --config FILE    a JSON object of ModelConfig fields (as for vg profile) pinned in every
                   region over model configurations; other claims are left out. A verdict
                   that differs from the registered one shows where your settings move a claim
  --training P     training runs behind the training claims: full (default; every model,
                   recall lags 5–100 and adding lags 10, 50, 3 seeds; about 1 minute of
                   training on 2 cores) or reduced (demo RNN and LSTM, recall lags 5–50: what npm test runs)
  --out DIR        where to write (default ./reports): claims.json, CLAIMS.md (partial/ for a
                   filtered, sharded or reduced run), allure-results/, allure-report/, evidence/
  --no-report      skip the HTML report (the Allure results are still written)
  --record         record mode, for a new training claim or plan: a training region with no
                   stated expectation runs and its measured verdict is written to
                   <out>/partial/expectations.json for review, instead of failing the run.
                   Never use it to make a failing run pass: nothing it writes is read back.

Needs vitest and allure-vitest (and allure for the report) installed beside this package.

Claims: ${CLAIMS.map((c) => c.id).join(', ')}`;
}

const REPORT_HELP = `Usage: vg report [RESULTS_DIR]... [--out DIR] [--history FILE.jsonl] [--overview FILE.svg] [--evidence DIR]...

Builds the Allure HTML report from results directories (default ./reports/allure-results),
merging several (for example CI shards) into one, into DIR (default ./reports/allure-report).
Only claim results go in; engine and CLI tests are left out. Nothing is written outside DIR
but the history file: DIR/history.jsonl unless --history names another (kept to the last 10
runs, so trends show across runs). --overview names the verdict matrix to attach (default:
the newest verdicts.svg or partial/verdicts.svg beside a results directory).
Each region's key number (its min and max over the cases) is tracked from run to run in the
history and shown in the report's Metrics section; --evidence names the directories of region
records to read (default: evidence/ beside each results directory, where vg verify writes them).
Needs the allure CLI installed beside this package (npm install --save-dev allure).`;

const COMMANDS = ['verify', 'profile', 'report'] as const;

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h') {
      process.stdout.write(`${MAIN_HELP}\n`);
      return command === undefined ? 2 : 0;
    }
    if (!(COMMANDS as readonly string[]).includes(command)) throw new ConfigError('command', command, COMMANDS.join(' | '));
    // tfjs is a peer dependency: name it rather than fail on an import deep inside.
    if (command !== 'report') requirePeers(`vg ${command}`, ['@tensorflow/tfjs']);
    if (rest.includes('--help') || rest.includes('-h')) {
      const help = command === 'verify' ? await verifyHelp() : command === 'profile' ? (await import('./profile.js')).PROFILE_HELP : REPORT_HELP;
      process.stdout.write(`${help}\n`);
      return 0;
    }
    switch (command) {
      case 'verify': {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            claim: { type: 'string', multiple: true }, section: { type: 'string', multiple: true }, verdict: { type: 'string', multiple: true },
            backend: { type: 'string' }, seed: { type: 'string' }, seeds: { type: 'string' }, runs: { type: 'string' }, shard: { type: 'string' }, jobs: { type: 'string' }, training: { type: 'string' },
            config: { type: 'string' }, out: { type: 'string' }, 'no-report': { type: 'boolean' }, record: { type: 'boolean' },
          },
          strict: true,
          allowPositionals: false,
        });
        const [{ verifyOptions }, { runVerify }] = await Promise.all([import('./options.js'), import('./verify.js')]);
        return await runVerify(verifyOptions(values));
      }
      case 'report': {
        const { values, positionals } = parseArgs({ args: [...rest], options: { out: { type: 'string' }, history: { type: 'string' }, overview: { type: 'string' }, evidence: { type: 'string', multiple: true } }, strict: true, allowPositionals: true });
        const out = values.out === undefined ? undefined : outsideNodeModules('--out', values.out);
        if (values.history !== undefined && !values.history.endsWith('.jsonl')) throw new ConfigError('--history', values.history, 'a path ending in .jsonl');
        if (values.overview !== undefined && !(values.overview.endsWith('.svg') && existsSync(values.overview))) throw new ConfigError('--overview', values.overview, 'an existing .svg file (reports/verdicts.svg)');
        const missing = (values.evidence ?? []).find((d) => !(existsSync(d) && statSync(d).isDirectory()));
        if (missing !== undefined) throw new ConfigError('--evidence', missing, 'an existing directory of region records (reports/evidence)');
        const { generateReport } = await import('./report.js');
        process.stdout.write(`report: ${generateReport(positionals.length ? positionals : undefined, out, { historyFile: values.history, overview: values.overview, evidence: values.evidence })}\n`);
        return 0;
      }
      default:
        return await (await import('./profile.js')).runProfile(rest);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`vg: bad input: ${error.message}\n`);
      return 2;
    }
    if (error instanceof MissingPeerError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    // By name: importing the resolver here would load tfjs for every command, --help included.
    if (error instanceof Error && error.name === 'BackendUnavailableError') {
      process.stderr.write(`vg ${command}: ${error.message}\n`);
      return 2;
    }
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`vg ${command}: ${(error as Error).message} (see \`vg ${command} --help\`)\n`);
      return 2;
    }
    throw error;
  }
}
