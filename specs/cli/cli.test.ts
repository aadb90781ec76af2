import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { verifyOptions } from '../../src/cli/options.js';
import { readConfigFile } from '../../src/cli/profile.js';
import { ROOT } from '../../src/cli/paths.js';

const vg = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'vg.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, VG_QUIET: '1' } });



describe('vg verify options', () => {
  it('should reject any malformed flag value with a ConfigError naming the flag, and nothing else', () => {
    const flag = fc.constantFrom('seed', 'runs', 'shard', 'claim', 'section', 'verdict', 'backend');
    fc.assert(
      fc.property(flag, fc.string({ maxLength: 12 }), (name, value) => {
        try {
          verifyOptions({ [name]: name === 'claim' || name === 'section' || name === 'verdict' ? [value] : value });
        } catch (e) {
          expect(e, `${name}=${JSON.stringify(value)}`).toBeInstanceOf(ConfigError);
          expect((e as ConfigError).field).toBe(`--${name}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('should accept well-formed flags', () => {
    const o = verifyOptions({ seed: '7', runs: '30', shard: '1/2', claim: ['VG-BOUND-GAMMA'], section: ['Diagnosis'], verdict: ['holds'], backend: 'cpu' });
    expect(o).toMatchObject({ seed: 7, runs: 30, shard: '1/2', backend: 'cpu' });
  });
});

describe('vg profile --config', () => {
  it('should reject bad JSON files with a ConfigError naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-cli-'));
    const cases: Array<[string, string]> = [
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
  });
});

describe('the vg command', () => {
  it('should exit 2 with a message naming the flag for bad input, and 0 for --help', () => {
    const bad = vg('verify', '--runs', '-3');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--runs');
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(vg('verify', '--nope').status).toBe(2);
    expect(vg('frobnicate').status).toBe(2);
    expect(vg('report', join(tmpdir(), 'no-such-results')).status).toBe(2);
    for (const c of ['verify', 'profile', 'report']) expect(vg(c, '--help').status, c).toBe(0);
  });
});
