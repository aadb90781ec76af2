import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors.js';
import { outsideNodeModules } from './paths.js';
import { MissingPeerError, requirePeers } from './peers.js';

// Only light modules are imported up front, so `vg --help` starts in well under a second; each
// command loads tfjs and the claim registry when it runs.

/** What each exit code means, said once: `vg --help` prints it and the README's CLI section repeats it (specs/cli/help.test.ts). */
export const EXIT_CODES = 'Exit codes: 0 when every verdict matches its expectation, 1 when one does not, and 2 for bad input or a missing peer.';

export const MAIN_HELP = `vg: verifies, by experiment on TensorFlow.js models, what vanishing-gradients.md says.

Usage: vg <command> [options]

Commands:
  verify    run the claims into a run directory of its own (reports/runs/<id>/), publish
            CLAIMS.md and claims.json (partial/ for a filtered, sharded or reduced run) and
            build the run's HTML report
  profile   temporal gradient profile of one configuration (table and SVG)
  report    build the HTML report of the latest run (reports/latest.json), or of results
            directories

Outputs go to ./reports under the current directory (or --out DIR), never into node_modules.
Run \`vg <command> --help\` for a command's options.
${EXIT_CODES}`;

const COMMANDS = ['verify', 'profile', 'report'] as const;

/**
 * `--seed -1` as `--seed=-1`: node's parseArgs refuses a value that starts with a dash as
 * "ambiguous", which hides the real problem; joined, a negative number reaches the flag's own
 * range check and gets a range error naming the flag and what is allowed.
 */
export function joinNegativeNumbers(args: readonly string[], valued: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (valued.includes(args[i]) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${args[i]}=${next}`);
      i += 1;
    } else out.push(args[i]);
  }
  return out;
}

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
      const help = await import('./help.js');
      const text = command === 'verify' ? await help.verifyHelp() : command === 'profile' ? help.profileHelp() : help.reportHelp();
      process.stdout.write(`${text}\n`);
      return 0;
    }
    switch (command) {
      case 'verify': {
        const { VERIFY_FLAGS, parseOptions } = await import('./help.js');
        const { values } = parseArgs({
          args: joinNegativeNumbers(
            rest,
            VERIFY_FLAGS.filter((f) => f.type === 'string').map((f) => `--${f.name}`),
          ),
          options: parseOptions(VERIFY_FLAGS),
          strict: true,
          allowPositionals: false,
        });
        const [{ verifyOptions }, { runVerify }] = await Promise.all([import('./options.js'), import('./verify.js')]);
        return await runVerify(verifyOptions(values as Record<string, string | boolean | string[] | undefined>));
      }
      case 'report': {
        const { REPORT_FLAGS, parseOptions } = await import('./help.js');
        const { values: raw, positionals } = parseArgs({ args: [...rest], options: parseOptions(REPORT_FLAGS), strict: true, allowPositionals: true });
        const values = raw as { out?: string; history?: string; overview?: string; evidence?: string[]; summary?: string[] };
        const out = values.out === undefined ? undefined : outsideNodeModules('--out', values.out);
        if (values.history !== undefined && !values.history.endsWith('.jsonl')) throw new ConfigError('--history', values.history, 'a path ending in .jsonl');
        if (values.overview !== undefined && !(values.overview.endsWith('.svg') && existsSync(values.overview)))
          throw new ConfigError('--overview', values.overview, 'an existing .svg file (reports/verdicts.svg)');
        const missing = (values.evidence ?? []).find((d) => !(existsSync(d) && statSync(d).isDirectory()));
        if (missing !== undefined) throw new ConfigError('--evidence', missing, 'an existing directory of region records (reports/evidence)');
        const [{ generateReport }, { reportPlan }, { sitePlan, writeReportSite }] = await Promise.all([
          import('./report.js'),
          import('./report-inputs.js'),
          import('./site.js'),
        ]);
        const { results, ...plan } = reportPlan(positionals, { out, history: values.history, overview: values.overview, evidence: values.evidence });
        const site = sitePlan(results, plan.out, values.summary);
        process.stdout.write(`report: ${generateReport(results, plan.out, plan)}\n`);
        process.stdout.write(
          site ? `site: ${await writeReportSite(site)}\n` : `site: none (no claims.json beside ${results.join(', ')}; name one with --summary)\n`,
        );
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
