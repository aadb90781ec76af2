import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { ConfigError } from '../../src/config/errors.js';
import { verifyOptions } from '../../src/cli/options.js';
import { progressLine } from '../../src/cli/verify.js';
import { readConfigFile } from '../../src/config/file.js';
import { BAD_ALLURE_RESULTS, BAD_COMMAND_LINES, BAD_CONFIG_FILES, FLAG_FUZZ_RUNS } from '../figures.js';

// The CLI's entry, called in this process with its output captured: the same code as `vg`
// without a process start per command line (each costs a second and more under tsx). Processes
// are started where they matter: specs/cli/help.test.ts and outputs.test.ts from the sources,
// specs/consumer with the built bin. An error main() does not map to an exit code rejects, as a
// stack trace would print.
async function vg(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const capture = (stream: 'stdout' | 'stderr') =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      out[stream] += String(chunk);
      return true;
    });
  const spies = [capture('stdout'), capture('stderr')];
  try {
    return { status: await main(args), ...out };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('vg verify options', () => {
  it('should reject any malformed flag value with a ConfigError naming the flag, and nothing else', () => {
    const flag = fc.constantFrom('seed', 'runs', 'shard', 'jobs', 'claim', 'section', 'verdict', 'backend', 'training', 'config');
    fc.assert(
      fc.property(flag, fc.string({ maxLength: 12 }), (name, value) => {
        try {
          verifyOptions({ [name]: name === 'claim' || name === 'section' || name === 'verdict' ? [value] : value });
        } catch (e) {
          expect(e, `--${name}=${JSON.stringify(value)} threw ${String(e)}, a ConfigError expected`).toBeInstanceOf(ConfigError);
          const field = (e as ConfigError).field;
          expect(field, `--${name}=${JSON.stringify(value)}: error field "${field}" against "--${name}"`).toBe(`--${name}`);
        }
      }),
      { numRuns: FLAG_FUZZ_RUNS },
    );
  });

  it('should accept well-formed flags', () => {
    const o = verifyOptions({
      seed: '7',
      runs: '30',
      shard: '1/2',
      jobs: '3',
      claim: ['VG-BOUND-GAMMA'],
      section: ['Diagnosis'],
      verdict: ['holds'],
      backend: 'cpu',
    });
    const parsed = { seed: 7, runs: 30, shard: '1/2', jobs: 3, backend: 'cpu' };
    expect(o, `parsed flags ${JSON.stringify(o)} against ${JSON.stringify(parsed)}`).toMatchObject(parsed);
    const jobs = verifyOptions({}).jobs;
    expect(jobs, `--jobs defaults to ${jobs} against one worker per core (${availableParallelism()})`).toBe(availableParallelism());
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
      expect(error, `config file ${JSON.stringify(text)} threw ${String(error)}, a ConfigError expected`).toBeInstanceOf(ConfigError);
      const named = (error as ConfigError).field;
      expect(named, `config file ${JSON.stringify(text)}: error field "${named}" against "${field}"`).toBe(field);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('vg verify progress line', () => {
  it('should show the share of regions measured and the elapsed time', () => {
    const half = progressLine(120, 240, 190_000),
      halfExpected = `[vg] [${'#'.repeat(15)}${'.'.repeat(15)}] 120/240 regions, 3m10s elapsed`;
    expect(half, `120 of 240 after 190 s: "${half}" against "${halfExpected}"`).toBe(halfExpected);
    const unknown = progressLine(7, null, 5_000),
      unknownExpected = '[vg] 7 regions measured, 0m05s elapsed';
    expect(unknown, `7 of an unknown total after 5 s: "${unknown}" against "${unknownExpected}"`).toBe(unknownExpected);
    const over = progressLine(300, 240, 0);
    expect(over, `300 of 240: "${over}" should hold a full bar of 30 #`).toContain('#'.repeat(30));
  });
});

describe('vg report on corrupt or empty Allure results', () => {
  it('should exit 2 naming the results, with no stack trace and no report left behind', async () => {
    for (const [name, files] of BAD_ALLURE_RESULTS) {
      const dir = mkdtempSync(join(tmpdir(), 'vg-results-'));
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      const out = join(dir, 'report');
      const run = await vg('report', dir, '--out', out);
      expect(run.status, `${name}: exit status ${run.status} against 2; stderr: ${run.stderr.slice(0, 300)}`).toBe(2);
      expect(run.stderr, `${name}: stderr "${run.stderr.slice(0, 300)}" should name the results`).toContain('results');
      expect(run.stderr, `${name}: stderr should hold no stack trace: ${run.stderr.slice(0, 300)}`).not.toMatch(/\n\s+at /);
      expect(existsSync(out), `${name}: a report was left in ${out}`).toBe(false);
      const staging = readdirSync(dir).filter((f) => f.includes('.tmp-'));
      expect(staging, `${name}: staging left behind: [${staging.join(', ')}]`).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the vg command', () => {
  it('should exit 2 with a message naming the flag for bad input', async () => {
    for (const [args, named] of BAD_COMMAND_LINES) {
      const run = await vg(...args);
      const line = `vg ${args.join(' ')}`;
      expect(run.status, `${line}: exit status ${run.status} against 2; stderr: ${run.stderr.slice(0, 300)}`).toBe(2);
      expect(run.stderr, `${line}: stderr "${run.stderr.slice(0, 300)}" should name ${named}`).toContain(named);
      expect(run.stderr, `${line}: stderr should hold no stack trace: ${run.stderr.slice(0, 300)}`).not.toMatch(/\n\s+at /);
    }
  });
});
