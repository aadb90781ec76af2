import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { trainingPlan } from '../../src/claims/training/plan.js';
import { EXIT_CODES } from '../../src/cli/cli.js';
import { REPORT_FLAGS, REPORT_LEAD, VERIFY_FLAGS } from '../../src/cli/help.js';
import { PROFILE_FLAGS, parseOptions, synopsis } from '../../src/cli/flags.js';
import { verifyOptions } from '../../src/cli/options.js';
import { ROOT } from '../../src/cli/paths.js';
import { DEFAULT_FC_SEED } from '../../src/engine/options.js';
import { PLAN_RUNS } from '../figures.js';

/**
 * Help text from one source (issue 25, item 4): `vg --help`, `vg verify --help` and the README's
 * CLI section agree with each other and with the values the code uses: the parser's flags, the
 * training plans' sizes and seeds, the defaults and the ranges the options accept.
 */

const vg = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, VG_QUIET: '1' },
  });
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const cliSection = readme.slice(readme.indexOf('## The CLI'), readme.indexOf('\n## ', readme.indexOf('## The CLI') + 5));
/** The README's usage block, one entry per command, continuation lines joined and spaces collapsed. */
const readmeUsage = (cliSection.match(/```sh\n([\s\S]*?)```/)?.[1] ?? '').split(/\n(?=npx )/).map((c) => c.replace(/^npx /, '').trim().replace(/\s+/g, ' '));
/** --help text with its lines joined, so a wrapped phrase reads whole. */
const flat = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

describe("the CLI's help and the README from one source", () => {
  const helps = Object.fromEntries((['verify', 'report', 'profile'] as const).map((c) => [c, vg(c, '--help')]));
  const main = vg('--help');

  it('should show in the README the synopsis the parser is built from, for every command', () => {
    const code = [synopsis('verify', VERIFY_FLAGS), synopsis('profile', PROFILE_FLAGS), synopsis('report', REPORT_FLAGS, REPORT_LEAD), ['vg', '--help']].map(
      (t) => t.join(' '),
    );
    expect(readmeUsage, 'README usage block against the synopses built from the flag tables').toEqual(code);
    for (const [command, flags] of [
      ['verify', VERIFY_FLAGS],
      ['report', REPORT_FLAGS],
      ['profile', PROFILE_FLAGS],
    ] as const) {
      expect(helps[command].status, `vg ${command} --help: exit ${helps[command].status}; stderr ${helps[command].stderr.slice(0, 300)}`).toBe(0);
      const shown = flat(helps[command].stdout);
      for (const f of flags) expect(shown, `vg ${command} --help should list --${f.name}`).toContain(`--${f.name}`);
      const args = flags.flatMap((f) => (f.type === 'boolean' ? [`--${f.name}`] : [`--${f.name}`, 'x']));
      expect(
        () => parseArgs({ args, options: parseOptions(flags), strict: true, allowPositionals: command === 'report' }),
        `vg ${command}: every flag of the synopsis parses`,
      ).not.toThrow();
    }
  });

  it("should state each training plan's seeds and runs as the plan has them, and mark the default the options pick", () => {
    const text = flat(helps.verify.stdout);
    expect(helps.verify.status, helps.verify.stderr).toBe(0);
    for (const profile of ['full', 'reduced'] as const) {
      const plan = trainingPlan(profile);
      const stated = `${plan.seeds.length} seeds: ${PLAN_RUNS[profile]} runs, each to its criterion or ${plan.budget.steps} updates`;
      expect(text, `vg verify --help on --training ${profile} should say "${stated}"`).toContain(stated);
    }
    const fallback = verifyOptions({}).training;
    expect(text, `the default plan (${fallback}) marked in vg verify --help`).toContain(`${fallback} (default)`);
    expect(text, `the default seed ${DEFAULT_FC_SEED} in vg verify --help`).toContain(`(default ${DEFAULT_FC_SEED})`);
  });

  it('should state the numeric ranges the options accept: the ends accepted, one past refused', () => {
    const text = flat(helps.verify.stdout);
    for (const flag of ['seed', 'runs', 'jobs']) {
      const m = new RegExp(`--${flag} N .*?an integer in \\[(\\d+), (\\d+)\\]`).exec(text);
      expect(m, `vg verify --help states the range of --${flag}`).not.toBeNull();
      const [lo, hi] = [Number(m![1]), Number(m![2])];
      for (const ok of [lo, hi]) expect(() => verifyOptions({ [flag]: String(ok) }), `--${flag} ${ok} (an end of the stated range) accepted`).not.toThrow();
      for (const bad of [lo - 1, hi + 1])
        expect(() => verifyOptions({ [flag]: String(bad) }), `--${flag} ${bad} (past the stated range) refused`).toThrow(`--${flag}`);
    }
  });

  it('should give the exit codes in the same words in vg --help and the README', () => {
    expect(main.status, main.stderr).toBe(0);
    expect(flat(main.stdout), 'vg --help states the exit codes').toContain(EXIT_CODES);
    expect(flat(cliSection), "the README's CLI section states them in the same words").toContain(EXIT_CODES);
  });
});
