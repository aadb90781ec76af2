import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/cli/paths.js';
import type { Summary } from '../../src/report/summary.js';
import { type Consumer, createConsumer, run, transcript } from './project.js';

/**
 * The package as a user gets it: packed, installed into a fresh project, and used the way the
 * README says: the library from plain Node and from vitest, its types under a strict compiler,
 * the CLI's verify, profile and report in that project, missing peers, and a tfjs outside the
 * peer range. `npm test` runs it last, on its own (it times `vg --help`).
 */
/** Startup budget of `vg --help` (the compiled bin, no tsx). */
const HELP_BUDGET_MS = 500;
/** Packed size above which the README's note on the tarball is out of date. */
const MAX_PACKED_BYTES = 300_000;
const SECTION = 'Eigenvalue Perspective';

let app: Consumer;
const pkgDir = (): string => join(app.dir, 'node_modules', 'vanishing-gradients-verify');
const bin = (name: string): string => join(app.dir, 'node_modules', '.bin', name);
const vg = (...args: string[]) => run(bin('vg'), args, app.dir, { VG_QUIET: '1' });

/** Every file under a directory, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

beforeAll(() => {
  app = createConsumer(tmpdir());
  console.log(`[consumer] npm pack (build included) ${(app.packMs / 1000).toFixed(1)} s; install ${(app.installMs / 1000).toFixed(1)} s; tarball ${app.pack.size} B packed, ${app.pack.unpackedSize} B unpacked, ${app.pack.files.length} files`);
}, 300_000);
afterAll(() => {
  if (app) rmSync(dirname(app.dir), { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('should hold the compiled package, its declarations, the packaged claim suite, README and LICENSE, and nothing else', () => {
    const paths = app.pack.files.map((f) => f.path);
    const allowed = /^(dist\/(src|properties)\/.+\.(js|d\.ts)|dist\/specs\/.+\.js|bin\/vg\.mjs|README\.md|LICENSE|package\.json)$/;
    expect(paths.filter((p) => !allowed.test(p)), 'files outside the whitelist').toEqual([]);
    for (const p of ['LICENSE', 'README.md', 'bin/vg.mjs', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/testing/vitest.js', 'dist/src/testing/vitest.d.ts', 'dist/src/cli/main.js', 'dist/specs/setup.js', 'dist/specs/claims/05-eigenvalues.test.js']) {
      expect(paths, `${p} missing from the tarball`).toContain(p);
    }
    expect(app.pack.size, 'packed size (update the README\'s note on the tarball)').toBeLessThan(MAX_PACKED_BYTES);
  });
});

describe('the package in a user\'s project', () => {
  it('should give the temporal gradient profile from a plain node ESM script (examples/gradient-profile.mjs)', () => {
    const r = run(process.execPath, ['gradient-profile.mjs'], app.dir);
    expect(r.status, transcript(r)).toBe(0);
    expect(r.stdout, transcript(r)).toMatch(/LSTM\(\w+\) on wasm: 100 steps/);
    expect(r.stderr, 'ERR_UNKNOWN_FILE_EXTENSION: a source file was loaded').not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|\.ts\b/);
  });

  it(`should print vg --help in under ${HELP_BUDGET_MS} ms (the compiled bin, best of 3), and through npx`, () => {
    const runs = [0, 1, 2].map(() => vg('--help'));
    for (const r of runs) expect(r.status, transcript(r)).toBe(0);
    expect(runs[0]!.stdout).toContain('Usage: vg <command>');
    const best = Math.min(...runs.map((r) => r.ms));
    const viaNpx = run('npx', ['--no-install', 'vg', '--help'], app.dir);
    expect(viaNpx.status, transcript(viaNpx)).toBe(0);
    console.log(`[consumer] vg --help: ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms (bin); npx vg --help ${viaNpx.ms.toFixed(0)} ms`);
    expect(best, 'vg --help wall time, ms').toBeLessThan(HELP_BUDGET_MS);
  });

  it('should type-check the user\'s test under strict settings (nodenext, exactOptionalPropertyTypes, noUncheckedIndexedAccess) against the package\'s .d.ts files', () => {
    const r = run(process.execPath, [join(app.dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.', '--listFiles'], app.dir);
    expect(r.status, transcript(r)).toBe(0);
    const ours = r.stdout.split('\n').filter((f) => f.includes('/node_modules/vanishing-gradients-verify/'));
    expect(ours.length, 'no file of the package was read').toBeGreaterThan(0);
    expect(ours.filter((f) => !/\/vanishing-gradients-verify\/dist\/.+\.d\.ts$/.test(f)), 'package files read other than dist/**/*.d.ts').toEqual([]);
    const node10 = run(process.execPath, [join(app.dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.node10.json'], app.dir);
    expect(node10.status, `moduleResolution: node\n${transcript(node10)}`).toBe(0);
  });

  it('should run the user\'s claims (examples/my-lstm.test.ts) in vitest without Allure, printing no warning and writing no file', () => {
    const r = run(bin('vitest'), ['run'], app.dir);
    expect(r.status, transcript(r)).toBe(0);
    expect(r.stdout).toContain('MY-LSTM-KEEPS-100 [seeds] should be refuted');
    expect(`${r.stdout}${r.stderr}`, 'allure-js-commons warnings').not.toContain('no test runtime');
    expect(readdirSync(app.dir).filter((f) => ['reports', 'allure-results'].includes(f)), 'files written without being asked').toEqual([]);
  });
});

describe('the CLI and the peers in a user\'s project', () => {
  it('should report the user\'s claims to Allure when allure-vitest is a reporter', () => {
    const r = run(bin('vitest'), ['run', '--reporter=default', '--reporter=allure-vitest/reporter'], app.dir);
    expect(r.status, transcript(r)).toBe(0);
    const results = join(app.dir, 'allure-results');
    const labels = readdirSync(results).filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')) as { labels: Array<{ name: string; value: string }> });
    expect(labels.some((r) => r.labels.some((l) => l.name === 'feature' && l.value === 'MY-LSTM-KEEPS-100') && r.labels.some((l) => l.name === 'verdict' && l.value === 'refuted'))).toBe(true);
    rmSync(results, { recursive: true, force: true });
  });

  it('should draw the profile of a configuration with vg profile --config into ./reports', () => {
    const r = vg('profile', '--config', join(ROOT, 'specs', 'consumer', 'lstm-config.json'));
    expect(r.status, transcript(r)).toBe(0);
    expect(readFileSync(join(app.dir, 'reports', 'profile.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it(`should verify one section with vg verify, exit 0, write under ./reports only, measure what the repository published, and leave the installed package untouched`, () => {
    const before = filesUnder(pkgDir());
    const r = vg('verify', '--section', SECTION);
    expect(r.status, transcript(r)).toBe(0);
    console.log(`[consumer] vg verify --section "${SECTION}": ${(r.ms / 1000).toFixed(1)} s`);
    const reports = join(app.dir, 'reports');
    for (const f of ['partial/claims.json', 'partial/CLAIMS.md', 'allure-report/index.html']) expect(existsSync(join(reports, f)), f).toBe(true);
    expect(existsSync(join(reports, 'claims.json')), 'a filtered run wrote the full summary').toBe(false);
    expect(filesUnder(pkgDir()), 'files added to or removed from the installed package').toEqual(before);
    expect(filesUnder(pkgDir())).toEqual([...app.pack.files.map((f) => f.path)].sort());
    expect(readFileSync(join(pkgDir(), 'README.md'), 'utf8'), 'the installed README was rewritten').toBe(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const measured = JSON.parse(readFileSync(join(reports, 'partial', 'claims.json'), 'utf8')) as Summary;
    const published = JSON.parse(readFileSync(join(ROOT, 'reports', 'claims.json'), 'utf8')) as Summary;
    expect(measured.claims.map((c) => c.id).length).toBeGreaterThan(0);
    for (const claim of measured.claims) expect(claim.regions, claim.id).toEqual(published.claims.find((c) => c.id === claim.id)?.regions);
  });

  it('should decide a training claim from the installed package (training workers and kernel from dist/)', () => {
    const r = vg('verify', '--claim', 'VG-CONSEQ-MEMORY-TRAINED', '--training', 'reduced', '--no-report', '--out', join(app.dir, 'reports-training'));
    expect(r.status, transcript(r)).toBe(0);
    console.log(`[consumer] vg verify --claim VG-CONSEQ-MEMORY-TRAINED --training reduced: ${(r.ms / 1000).toFixed(1)} s`);
    expect(existsSync(join(app.dir, 'reports-training', 'partial', 'claims.json'))).toBe(true);
  });

  it('should rebuild the HTML report with vg report', () => {
    const r = vg('report');
    expect(r.status, transcript(r)).toBe(0);
    expect(r.stdout).toContain(join(app.dir, 'reports', 'allure-report', 'index.html'));
  });

  it('should exit 2 naming a missing peer and how to install it, with no stack trace', () => {
    for (const [peer, args] of [['allure-vitest', ['verify', '--section', SECTION]], ['vitest', ['verify', '--claim', 'VG-TANH-MAX']], ['allure', ['report']]] as const) {
      const installed = join(app.dir, 'node_modules', peer), aside = `${installed}.aside`;
      renameSync(installed, aside);
      try {
        const r = vg(...args);
        expect(r.status, transcript(r)).toBe(2);
        expect(r.stderr).toContain(`${peer} (not installed)`);
        expect(r.stderr).toContain(`npm install --save-dev ${peer}@`);
        expect(r.stderr, 'stack trace').not.toMatch(/\n\s+at /);
      } finally {
        renameSync(aside, installed);
      }
    }
  });

  it('should refuse to write inside node_modules (exit 2 naming --out)', () => {
    const r = run(bin('vg'), ['verify', '--section', SECTION], pkgDir());
    expect(r.status, transcript(r)).toBe(2);
    expect(r.stderr).toContain('--out');
    expect(existsSync(join(pkgDir(), 'reports'))).toBe(false);
  });

  it('should install one tfjs, and make npm refuse a project\'s tfjs outside the peer range instead of adding a second copy', () => {
    const ls = run('npm', ['ls', '--parseable', '--all', '@tensorflow/tfjs-core'], app.dir);
    expect(new Set(ls.stdout.split('\n').filter((l) => l.endsWith('tfjs-core'))).size, `copies of tfjs-core installed\n${transcript(ls)}`).toBe(1);
    const old = join(dirname(app.dir), 'on-tfjs-4.21');
    mkdirSync(old);
    writeFileSync(join(old, 'package.json'), JSON.stringify({ name: 'on-tfjs-4-21', version: '1.0.0', private: true, type: 'module', dependencies: { '@tensorflow/tfjs': '4.21.0' } }));
    const r = run('npm', ['install', '--dry-run', '--prefer-offline', '--no-audit', '--no-fund', app.tarball], old);
    expect(r.status, transcript(r)).not.toBe(0);
    expect(r.stderr).toMatch(/ERESOLVE[\s\S]*peer @tensorflow\/tfjs@"\^4\.22\.0" from vanishing-gradients-verify/);
  });
});
