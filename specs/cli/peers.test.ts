import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyOptions } from '../../src/cli/options.js';
import { outputDirs, PACKAGE_ROOT } from '../../src/cli/paths.js';
import { findPeer, MissingPeerError, peerRange, requirePeers, satisfiesCaret } from '../../src/cli/peers.js';
import { ownedReadme } from '../../src/cli/verify.js';
import { ConfigError } from '../../src/config/errors.js';

describe('peer packages', () => {
  it('should decide caret ranges as npm does for versions ≥ 1', () => {
    const cases: Array<[string, string, boolean]> = [
      ['4.1.12', '^4.1.0', true],
      ['4.1.0', '^4.1.0', true],
      ['4.0.9', '^4.1.0', false],
      ['5.0.0', '^4.1.0', false],
      ['3.9.9', '^4.1.0', false],
      ['4.22.0', '^4.22.0', true],
      ['4.21.0', '^4.22.0', false],
      ['4.23.1', '^4.22.0', true],
      ['x', '^4.1.0', false],
      ['1.0.0', '*', true],
    ];
    for (const [version, range, expected] of cases) expect(satisfiesCaret(version, range), `${version} in ${range}: ${expected} expected`).toBe(expected);
  });

  it('should find the installed peers by module resolution, each in its declared range', () => {
    const peers = requirePeers('test', ['vitest', 'allure-vitest', 'allure', '@tensorflow/tfjs']);
    for (const [name, peer] of Object.entries(peers)) {
      const dir = join(PACKAGE_ROOT, 'node_modules', name);
      expect(peer.dir, `${name} found in ${peer.dir} against ${dir}`).toBe(dir);
      const range = peerRange(name as keyof typeof peers);
      expect(satisfiesCaret(peer.version, range), `${name} ${peer.version} in its declared range ${range}`).toBe(true);
    }
    const cli = findPeer('allure')?.bin.allure;
    expect(cli, `the allure CLI at ${cli}, a cli.js expected`).toMatch(/cli\.js$/);
  });

  it('should name each missing peer, its range and the install command', () => {
    const e = new MissingPeerError('vg verify', [
      { name: 'vitest', range: '^4.1.0', found: null },
      { name: 'allure', range: '^3.18.0', found: '2.0.0' },
    ]);
    const expected =
      'vg verify needs vitest (not installed), allure ^3.18.0 (found 2.0.0). Install them in your project: ' +
      'npm install --save-dev vitest@"^4.1.0" allure@"^3.18.0"';
    expect(e.message, `message "${e.message}" against "${expected}"`).toBe(expected);
  });
});

describe('output directories', () => {
  it('should resolve ./reports under the current directory by default, or --out', () => {
    const root = outputDirs().root,
      runs = outputDirs('/tmp/vg-out').runs;
    expect(root, `default root ${root} against ${join(process.cwd(), 'reports')}`).toBe(join(process.cwd(), 'reports'));
    expect(runs, `--out /tmp/vg-out: run directories in ${runs} against /tmp/vg-out/runs`).toBe('/tmp/vg-out/runs');
  });

  it('should refuse a path inside node_modules with a ConfigError naming --out', () => {
    for (const out of ['node_modules/vanishing-gradients-verify/reports', '/x/node_modules/y']) {
      expect(() => outputDirs(out), `outputDirs(${out}) should throw a ConfigError`).toThrow(ConfigError);
      expect(() => verifyOptions({ out }), `verifyOptions({ out: ${out} }) should throw a ConfigError naming --out`).toThrow(
        expect.objectContaining({ field: '--out' }),
      );
    }
  });

  it("should let vg verify rewrite only this checkout's README, and only when it writes into the checkout's reports/", () => {
    const own = ownedReadme(outputDirs(join(PACKAGE_ROOT, 'reports'))),
      elsewhere = ownedReadme(outputDirs('/tmp/elsewhere/reports'));
    expect(own, `README owned when writing into the checkout's reports/: ${own} against ${join(PACKAGE_ROOT, 'README.md')}`).toBe(
      join(PACKAGE_ROOT, 'README.md'),
    );
    expect(elsewhere, `README owned when writing to /tmp/elsewhere/reports: ${elsewhere}, null expected`).toBeNull();
  });
});
