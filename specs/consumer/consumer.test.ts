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
const MAX_PACKED_BYTES = 500_000;
const SECTION = 'Eigenvalue Perspective';

let app: Consumer;
const pkgDir = (): string => join(app.dir, 'node_modules', 'vanishing-gradients-verify');
const bin = (name: string): string => join(app.dir, 'node_modules', '.bin', name);
const vg = (...args: string[]) => run(bin('vg'), args, app.dir, {});

/** Every file under a directory, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

beforeAll(() => {
  app = createConsumer(tmpdir());
  console.log(
    `[consumer] npm pack (build included) ${(app.packMs / 1000).toFixed(1)} s; install ` +
      `${(app.installMs / 1000).toFixed(1)} s; tarball ${app.pack.size} B packed, ${app.pack.unpackedSize} ` +
      `B unpacked, ${app.pack.files.length} files`,
  );
}, 300_000);
afterAll(() => {
  if (app) rmSync(dirname(app.dir), { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('should hold the compiled package, its declarations, the packaged claim suite, README and LICENSE, and nothing else', () => {
    const paths = app.pack.files.map((f) => f.path);
    // dist/site/panel.js: the verdict site's live panel, bundled for the browser at build (scripts/build-site.mjs).
    const allowed = /^(dist\/(src|properties)\/.+\.(js|d\.ts)|dist\/specs\/.+\.js|dist\/site\/panel\.js|bin\/vg\.mjs|README\.md|LICENSE|package\.json)$/;
    const outside = paths.filter((p) => !allowed.test(p));
    expect(outside, `files outside the whitelist ${allowed}: [${outside.join(', ')}]`).toEqual([]);
    for (const p of [
      'LICENSE',
      'README.md',
      'bin/vg.mjs',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/testing/vitest.js',
      'dist/src/testing/vitest.d.ts',
      'dist/src/cli/main.js',
      'dist/site/panel.js',
      'dist/specs/setup.js',
      'dist/specs/claims/05-eigenvalues.test.js',
    ]) {
      expect(paths, `${p} missing from the tarball`).toContain(p);
    }
    expect(app.pack.size, `packed size ${app.pack.size} B against < ${MAX_PACKED_BYTES} B (update the README's note on the tarball)`).toBeLessThan(
      MAX_PACKED_BYTES,
    );
  });
});

describe("the package in a user's project", () => {
  it('should give the temporal gradient profile from a plain node ESM script (examples/gradient-profile.mjs)', () => {
    const r = run(process.execPath, ['gradient-profile.mjs'], app.dir);
    expect(r.status, transcript(r)).toBe(0);
    expect(r.stdout, transcript(r)).toMatch(/LSTM\(\w+\) on wasm: 100 steps/);
    expect(r.stdout, `the decades lost should print as a positive number (decadesLost):\n${transcript(r)}`).toMatch(
      /decades lost from the last step to the first: \d+\.\d\d\n/,
    );
    expect(r.stderr, `a source file was loaded (ERR_UNKNOWN_FILE_EXTENSION or a .ts path in stderr):\n${transcript(r)}`).not.toMatch(
      /ERR_UNKNOWN_FILE_EXTENSION|\.ts\b/,
    );
  });

  it(`should print vg --help in under ${HELP_BUDGET_MS} ms (the compiled bin, best of 3), and through npx`, () => {
    const runs = [0, 1, 2].map(() => vg('--help'));
    for (const r of runs) expect(r.status, transcript(r)).toBe(0);
    expect(runs[0]!.stdout, `vg --help should print "Usage: vg <command>":\n${transcript(runs[0]!)}`).toContain('Usage: vg <command>');
    const best = Math.min(...runs.map((r) => r.ms));
    const viaNpx = run('npx', ['--no-install', 'vg', '--help'], app.dir);
    expect(viaNpx.status, transcript(viaNpx)).toBe(0);
    console.log(`[consumer] vg --help: ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms (bin); npx vg --help ${viaNpx.ms.toFixed(0)} ms`);
    expect(
      best,
      `vg --help best wall time ${best.toFixed(0)} ms of ${runs.map((r) => r.ms.toFixed(0)).join(', ')} against < ${HELP_BUDGET_MS} ms`,
    ).toBeLessThan(HELP_BUDGET_MS);
  });

  it(
    "should type-check the user's test under strict settings (nodenext, exactOptionalPropertyTypes, " +
      "noUncheckedIndexedAccess) against the package's .d.ts files",
    () => {
      const r = run(process.execPath, [join(app.dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.', '--listFiles'], app.dir);
      expect(r.status, transcript(r)).toBe(0);
      const ours = r.stdout.split('\n').filter((f) => f.includes('/node_modules/vanishing-gradients-verify/'));
      expect(ours.length, `package files read by tsc: ${ours.length}, some expected`).toBeGreaterThan(0);
      const notDeclarations = ours.filter((f) => !/\/vanishing-gradients-verify\/dist\/.+\.d\.ts$/.test(f));
      expect(notDeclarations, `package files read other than dist/**/*.d.ts: [${notDeclarations.join(', ')}]`).toEqual([]);
      const node10 = run(process.execPath, [join(app.dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.node10.json'], app.dir);
      expect(node10.status, `moduleResolution: node\n${transcript(node10)}`).toBe(0);
    },
  );

  it("should run the user's claims (examples/my-lstm.test.ts) in vitest without Allure, printing no warning and writing no file", () => {
    const r = run(bin('vitest'), ['run'], app.dir);
    expect(r.status, transcript(r)).toBe(0);
    expect(r.stdout, `vitest output should name "MY-LSTM-KEEPS-100 [seeds] should be refuted":\n${transcript(r)}`).toContain(
      'MY-LSTM-KEEPS-100 [seeds] should be refuted',
    );
    expect(`${r.stdout}${r.stderr}`, `allure-js-commons warned "no test runtime":\n${transcript(r)}`).not.toContain('no test runtime');
    const written = readdirSync(app.dir).filter((f) => ['reports', 'allure-results'].includes(f));
    expect(written, `files written without being asked: [${written.join(', ')}]`).toEqual([]);
  });
});

describe("the CLI and the peers in a user's project", () => {
  it("should report the user's claims to Allure when allure-vitest is a reporter", () => {
    const r = run(bin('vitest'), ['run', '--reporter=default', '--reporter=allure-vitest/reporter'], app.dir);
    expect(r.status, transcript(r)).toBe(0);
    const results = join(app.dir, 'allure-results');
    const labels = readdirSync(results)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')) as { labels: Array<{ name: string; value: string }> });
    // The claim's tree node (feature) carries its verdict after the id: `MY-LSTM-KEEPS-100 — refuted`.
    const has = (r: (typeof labels)[number], name: string, value: (v: string) => boolean): boolean => r.labels.some((l) => l.name === name && value(l.value));
    const found = labels.some(
      (r) =>
        has(r, 'claim', (v) => v === 'MY-LSTM-KEEPS-100') &&
        has(r, 'feature', (v) => v.startsWith('MY-LSTM-KEEPS-100 — ')) &&
        has(r, 'verdict', (v) => v === 'refuted'),
    );
    expect(
      found,
      `an Allure result labelled claim MY-LSTM-KEEPS-100 (feature "MY-LSTM-KEEPS-100 — …"), verdict refuted ` +
        `among ${labels.length}: ` +
        `${JSON.stringify(labels.map((r) => r.labels.filter((l) => ['claim', 'feature', 'verdict'].includes(l.name)))).slice(0, 500)}`,
    ).toBe(true);
    rmSync(results, { recursive: true, force: true });
  });

  it('should draw the profile of a configuration with vg profile --config into ./reports', () => {
    const r = vg('profile', '--config', join(ROOT, 'specs', 'consumer', 'lstm-config.json'));
    expect(r.status, transcript(r)).toBe(0);
    const svg = readFileSync(join(app.dir, 'reports', 'profile.svg'), 'utf8');
    expect(svg, `reports/profile.svg should start with <svg: ${svg.slice(0, 80)}`).toMatch(/^<svg/);
  });

  it(
    `should verify one section with a vg verify seed sweep, exit 0, write under ./reports only, measure ` +
      `what the repository published, and leave the installed package untouched`,
    () => {
      const before = filesUnder(pkgDir());
      // The published counts are pooled over npm run verify's seeds, so the section runs with the same sweep.
      const r = vg('verify', '--section', SECTION, '--seeds', '424242,1,2');
      expect(r.status, transcript(r)).toBe(0);
      console.log(`[consumer] vg verify --section "${SECTION}": ${(r.ms / 1000).toFixed(1)} s`);
      const reports = join(app.dir, 'reports');
      const latest = (JSON.parse(readFileSync(join(reports, 'latest.json'), 'utf8')) as { latest: string }).latest;
      for (const f of ['partial/claims.json', 'partial/CLAIMS.md', `runs/${latest}/allure-report/index.html`, `runs/${latest}/claims.json`])
        expect(existsSync(join(reports, f)), `${join(reports, f)} should exist`).toBe(true);
      expect(existsSync(join(reports, 'claims.json')), `a filtered run wrote the full summary ${join(reports, 'claims.json')}`).toBe(false);
      const after = filesUnder(pkgDir());
      const added = after.filter((f) => !before.includes(f)),
        removed = before.filter((f) => !after.includes(f));
      expect(after, `files added to the installed package [${added.join(', ')}], removed [${removed.join(', ')}]`).toEqual(before);
      const packed = [...app.pack.files.map((f) => f.path)].sort();
      expect(
        after,
        `installed files (${after.length}) against the tarball's (${packed.length}); not packed: [${after.filter((f) => !packed.includes(f)).join(', ')}]`,
      ).toEqual(packed);
      const installedReadme = readFileSync(join(pkgDir(), 'README.md'), 'utf8'),
        readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      expect(installedReadme, `the installed README (${installedReadme.length} characters) was rewritten; the repository's has ${readme.length}`).toBe(readme);
      const measured = JSON.parse(readFileSync(join(reports, 'partial', 'claims.json'), 'utf8')) as Summary;
      const published = JSON.parse(readFileSync(join(ROOT, 'reports', 'claims.json'), 'utf8')) as Summary;
      // Issue 23: written in a user's project, the summary says so and points only to what exists there.
      expect(measured.run, `partial/claims.json's run: ${JSON.stringify(measured.run)}`).toMatchObject({
        kind: 'partial',
        sections: [SECTION],
        place: 'project',
      });
      const claimsMd = readFileSync(join(reports, 'partial', 'CLAIMS.md'), 'utf8');
      expect(
        claimsMd.includes('npm run verify') || claimsMd.replaceAll('dist/src/claims/sections/', '').includes('src/claims/sections/'),
        `partial/CLAIMS.md points into the repository:\n${claimsMd.slice(0, 600)}`,
      ).toBe(false);
      expect(measured.claims.length, `claims measured in section ${SECTION}: ${measured.claims.length}, some expected`).toBeGreaterThan(0);
      for (const claim of measured.claims) {
        const publishedRegions = published.claims.find((c) => c.id === claim.id)?.regions;
        expect(
          claim.regions,
          `${claim.id}: measured regions ${JSON.stringify(claim.regions).slice(0, 400)} against published ${JSON.stringify(publishedRegions).slice(0, 400)}`,
        ).toEqual(publishedRegions);
      }
    },
  );

  it('should decide a training claim from the installed package (training workers and kernel from dist/)', () => {
    const r = vg('verify', '--claim', 'VG-CONSEQ-MEMORY-TRAINED', '--training', 'reduced', '--no-report', '--out', join(app.dir, 'reports-training'));
    expect(r.status, transcript(r)).toBe(0);
    console.log(`[consumer] vg verify --claim VG-CONSEQ-MEMORY-TRAINED --training reduced: ${(r.ms / 1000).toFixed(1)} s`);
    const summary = join(app.dir, 'reports-training', 'partial', 'claims.json');
    expect(existsSync(summary), `${summary} should exist:\n${transcript(r)}`).toBe(true);
  });

  it("should rebuild the latest run's HTML report with vg report", () => {
    const r = vg('report');
    expect(r.status, transcript(r)).toBe(0);
    const latest = (JSON.parse(readFileSync(join(app.dir, 'reports', 'latest.json'), 'utf8')) as { latest: string }).latest;
    const index = join(app.dir, 'reports', 'runs', latest, 'allure-report', 'index.html');
    expect(r.stdout, `vg report should print ${index}:\n${transcript(r)}`).toContain(index);
  });

  it('should exit 2 naming a missing peer and how to install it, with no stack trace', () => {
    for (const [peer, args] of [
      ['allure-vitest', ['verify', '--section', SECTION]],
      ['vitest', ['verify', '--claim', 'VG-TANH-MAX']],
      ['allure', ['report']],
    ] as const) {
      const installed = join(app.dir, 'node_modules', peer),
        aside = `${installed}.aside`;
      renameSync(installed, aside);
      try {
        const r = vg(...args);
        expect(r.status, transcript(r)).toBe(2);
        expect(r.stderr, `vg ${args.join(' ')} without ${peer}: stderr should say "${peer} (not installed)":\n${transcript(r)}`).toContain(
          `${peer} (not installed)`,
        );
        expect(r.stderr, `vg ${args.join(' ')} without ${peer}: stderr should say "npm install --save-dev ${peer}@":\n${transcript(r)}`).toContain(
          `npm install --save-dev ${peer}@`,
        );
        expect(r.stderr, `vg ${args.join(' ')} without ${peer}: stderr should hold no stack trace:\n${transcript(r)}`).not.toMatch(/\n\s+at /);
      } finally {
        renameSync(aside, installed);
      }
    }
  });

  it('should refuse to write inside node_modules (exit 2 naming --out)', () => {
    const r = run(bin('vg'), ['verify', '--section', SECTION], pkgDir());
    expect(r.status, transcript(r)).toBe(2);
    expect(r.stderr, `stderr should name --out:\n${transcript(r)}`).toContain('--out');
    expect(existsSync(join(pkgDir(), 'reports')), `${join(pkgDir(), 'reports')} was created`).toBe(false);
  });

  it("should install one tfjs, and make npm refuse a project's tfjs outside the peer range instead of adding a second copy", () => {
    const ls = run('npm', ['ls', '--parseable', '--all', '@tensorflow/tfjs-core'], app.dir);
    const copies = new Set(ls.stdout.split('\n').filter((l) => l.endsWith('tfjs-core')));
    expect(copies.size, `copies of tfjs-core installed: ${copies.size} against 1\n${transcript(ls)}`).toBe(1);
    const old = join(dirname(app.dir), 'on-tfjs-4.21');
    mkdirSync(old);
    writeFileSync(
      join(old, 'package.json'),
      JSON.stringify({ name: 'on-tfjs-4-21', version: '1.0.0', private: true, type: 'module', dependencies: { '@tensorflow/tfjs': '4.21.0' } }),
    );
    const r = run('npm', ['install', '--dry-run', '--prefer-offline', '--no-audit', '--no-fund', app.tarball], old);
    expect(r.status, transcript(r)).not.toBe(0);
    expect(r.stderr, `npm should refuse with ERESOLVE naming the peer range ^4.22.0:\n${transcript(r)}`).toMatch(
      /ERESOLVE[\s\S]*peer @tensorflow\/tfjs@"\^4\.22\.0" from vanishing-gradients-verify/,
    );
  });
});
