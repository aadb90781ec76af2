import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { verifyOptions } from '../../src/cli/options.js';
import { progressLine } from '../../src/cli/verify.js';
import { readConfigFile } from '../../src/config/file.js';
import { ROOT } from '../../src/cli/paths.js';
import { BAD_ALLURE_RESULTS, BAD_COMMAND_LINES, BAD_CONFIG_FILES, FLAG_FUZZ_RUNS } from '../figures.js';

// The CLI from its sources, as `npm run vg` runs it (the built bin is checked by specs/consumer).
const vg = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, VG_QUIET: '1' } });



describe('vg verify options', () => {
  it('should reject any malformed flag value with a ConfigError naming the flag, and nothing else', () => {
    const flag = fc.constantFrom('seed', 'runs', 'shard', 'jobs', 'claim', 'section', 'verdict', 'backend', 'training', 'config');
    fc.assert(
      fc.property(flag, fc.string({ maxLength: 12 }), (name, value) => {
        try {
          verifyOptions({ [name]: name === 'claim' || name === 'section' || name === 'verdict' ? [value] : value });
        } catch (e) {
          expect(e, `${name}=${JSON.stringify(value)}`).toBeInstanceOf(ConfigError);
          expect((e as ConfigError).field).toBe(`--${name}`);
        }
      }),
      { numRuns: FLAG_FUZZ_RUNS },
    );
  });

  it('should accept well-formed flags', () => {
    const o = verifyOptions({ seed: '7', runs: '30', shard: '1/2', jobs: '3', claim: ['VG-BOUND-GAMMA'], section: ['Diagnosis'], verdict: ['holds'], backend: 'cpu' });
    expect(o, 'parsed flags').toMatchObject({ seed: 7, runs: 30, shard: '1/2', jobs: 3, backend: 'cpu' });
    expect(verifyOptions({}).jobs, '--jobs defaults to one worker per core').toBe(availableParallelism());
  });
});

describe('vg profile --config', () => {
  it('should reject bad JSON files with a ConfigError naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-cli-'));
    const cases = BAD_CONFIG_FILES;
    for (const [text, field] of cases) {
      const file = join(dir, 'c.json');
      writeFileSync(file, text);
      let error: unknown;
      try {
        readConfigFile(file);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field, text).toBe(field);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('vg verify progress line', () => {
  it('should show the share of regions measured and the elapsed time', () => {
    expect(progressLine(120, 240, 190_000)).toBe(`[vg] [${'#'.repeat(15)}${'.'.repeat(15)}] 120/240 regions, 3m10s elapsed`);
    expect(progressLine(7, null, 5_000)).toBe('[vg] 7 regions measured, 0m05s elapsed');
    expect(progressLine(300, 240, 0)).toContain('#'.repeat(30));
  });
});

describe('vg report on corrupt or empty Allure results', () => {
  it('should exit 2 naming the results, with no stack trace and no report left behind', () => {
    for (const [name, files] of BAD_ALLURE_RESULTS) {
      const dir = mkdtempSync(join(tmpdir(), 'vg-results-'));
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      const out = join(dir, 'report');
      const run = vg('report', dir, '--out', out);
      expect(run.status, name).toBe(2);
      expect(run.stderr, name).toContain('results');
      expect(run.stderr, `${name}: no stack trace`).not.toMatch(/\n\s+at /);
      expect(existsSync(out), `${name}: a report was left in ${out}`).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes('.tmp-')), `${name}: staging left behind`).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the vg command', () => {
  it('should exit 2 with a message naming the flag for bad input, and 0 for --help', () => {
    for (const [args, named] of BAD_COMMAND_LINES) {
      const run = vg(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain(named);
      expect(run.stderr, `${args.join(' ')}: no stack trace`).not.toMatch(/\n\s+at /);
    }
    for (const c of ['verify', 'profile', 'report']) expect(vg(c, '--help').status, c).toBe(0);
  });
});
