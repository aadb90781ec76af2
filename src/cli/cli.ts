import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors.js';
import { CLAIMS } from '../claims/registry.js';
import { SECTIONS } from '../claims/types.js';
import { verifyOptions } from './options.js';
import { generateReport } from './report.js';
import { runVerify } from './verify.js';

const HELP: Record<string, string> = {
  main: `vg: verifies, by experiment on TensorFlow.js models, what vanishing-gradients.md says.

Usage: vg <command> [options]

Commands:
  verify    run the claims and write reports/CLAIMS.md, reports/claims.json and the HTML report
  profile   temporal gradient profile of one configuration (table and SVG)
  report    build the HTML report from existing Allure results

Run \`vg <command> --help\` for a command's options. Exit codes: 0 every verdict matches its
expectation, 1 one does not, 2 bad input.`,
  verify: `Usage: vg verify [--claim ID]... [--section NAME]... [--verdict holds|refuted|conditional]
                 [--backend node-gpu|node|wasm|cpu] [--seed N] [--runs N] [--shard i/N]
                 [--training full|reduced] [--config FILE] [--no-report]

  --claim ID       only this claim (repeatable)
  --section NAME   only this document section (repeatable): ${SECTIONS.join('; ')}
  --verdict V      only claims whose expected verdict is V
  --backend NAME   force a tfjs backend (default: the first that loads)
  --seed N         fast-check seed (default 424242); same seed, same report
  --runs N         sampled cases per region instead of each region's own number
  --shard i/N      run one shard of the claim specs (vitest --shard)
  --config FILE    a JSON object of ModelConfig fields (as for vg profile) pinned in every
                   region over model configurations; other claims are left out. A verdict
                   that differs from the registered one shows where your settings move a claim
  --training P     training runs behind the training claims: full (default; every model,
                   recall lags 5–100 and adding lags 10, 50, 3 seeds; about 15 minutes on
                   2 cores) or reduced (demo RNN and LSTM, recall lags 5–50: what npm test runs)
  --no-report      skip the HTML report

Claims: ${CLAIMS.map((c) => c.id).join(', ')}`,
  report: `Usage: vg report [RESULTS_DIR]... [--out DIR]

Builds the Allure HTML report from results directories (default reports/allure-results),
merging several (for example CI shards) into one.`,
};

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h') {
      process.stdout.write(`${HELP.main}\n`);
      return command === undefined ? 2 : 0;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      if (!(command in HELP) && command !== 'profile') throw new ConfigError('command', command, 'verify | profile | report');
      process.stdout.write(`${command === 'profile' ? (await import('./profile.js')).PROFILE_HELP : HELP[command]}\n`);
      return 0;
    }
    switch (command) {
      case 'verify': {
        const { values } = parseArgs({
          args: [...rest],
          options: { claim: { type: 'string', multiple: true }, section: { type: 'string', multiple: true }, verdict: { type: 'string', multiple: true }, backend: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' }, shard: { type: 'string' }, training: { type: 'string' }, config: { type: 'string' }, 'no-report': { type: 'boolean' } },
          strict: true,
          allowPositionals: false,
        });
        return await runVerify(verifyOptions(values));
      }
      case 'report': {
        const { values, positionals } = parseArgs({ args: [...rest], options: { out: { type: 'string' } }, strict: true, allowPositionals: true });
        process.stdout.write(`report: ${generateReport(positionals.length ? positionals : undefined, values.out)}\n`);
        return 0;
      }
      case 'profile':
        return await (await import('./profile.js')).runProfile(rest);
      default:
        throw new ConfigError('command', command, 'verify | profile | report');
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`vg: bad input: ${error.message}\n`);
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

