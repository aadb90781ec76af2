#!/usr/bin/env node
/**
 * Times `npm test` of several trees in one session, one after another, so they are compared on the
 * same machine under the same conditions (issue 24: the suite with the node backend against the
 * suite without it). Usage:
 *
 *   node tools/bench/suite-time.mjs [--keep] SPEC...
 *
 * A SPEC is a git revision of this repository (HEAD, a commit, a branch), optionally followed by
 * `:without-node`. Each SPEC is cloned into a temporary directory and installed as `.ci/run` installs
 * it (`npm ci`, then scripts/build-tfjs-node.mjs); `:without-node` then takes the node backend out of
 * that clone's suite: the engine-node project and tfjs-node's load check leave the test command,
 * specs/report/node-backend.test.ts (the claims re-run on tfjs-node) is excluded. The bench spec, which
 * times every backend that loads whatever the project (about a second of tfjs-node), is left as it
 * is: its assertions count the backends. Every clone is installed first; then each runs `npm test` in turn under
 * `/usr/bin/time -v` (its peak resident set is the largest process's), with the machine's CPU use
 * sampled from /proc/stat while it runs and its load average printed before it starts.
 *
 * Prints one line per SPEC: the vitest durations of npm test's runs and their sum, the wall time, the
 * CPU time of npm test and its children (user + system), the peak RSS, the CPU busy share during the run and whether it passed. A failing run is reported, not
 * hidden: its times are of a run that stopped early. --keep leaves the clones in place.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const specs = args.filter((a) => !a.startsWith('--'));
if (specs.length === 0) {
  console.error('usage: node tools/bench/suite-time.mjs [--keep] REV[:without-node]...');
  process.exit(2);
}
for (const spec of specs) {
  const [, variant] = spec.split(':');
  if (variant !== undefined && variant !== 'without-node') {
    console.error(`suite-time: spec "${spec}": the variant must be "without-node" (or none), got "${variant}"`);
    process.exit(2);
  }
}
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) {
  console.error(`suite-time: ${TIME} is missing (Debian: apt-get install -y time); it measures each run's peak RSS`);
  process.exit(2);
}

/** Terminal colour codes, stripped from the log before it is read. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const log = (line) => process.stderr.write(`[suite-time] ${line}\n`);
const run = (cmd, argv, cwd) => execFileSync(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

/** The suite without the node backend: no engine-node project, no tfjs-node load check, no claims re-run on tfjs-node. */
function withoutNode(dir) {
  const pkgPath = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const test = pkg.scripts.test;
  const dropped = test
    .replace(' --project engine-node', '')
    .replace('node scripts/build-tfjs-node.mjs --check && ', '')
    .replace('vitest run --project report', 'vitest run --project report --exclude specs/report/node-backend.test.ts');
  for (const part of ['--project engine-node', 'build-tfjs-node.mjs --check', 'node-backend.test.ts']) {
    const present = part === 'node-backend.test.ts' ? !dropped.includes('--exclude specs/report/node-backend.test.ts') : dropped.includes(part);
    if (present) throw new Error(`suite-time: could not take "${part}" out of the test command: ${test}`);
  }
  pkg.scripts.test = dropped;
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
}

/** Samples the share of CPU time busy across all cores, from /proc/stat, until stopped. */
function cpuSampler() {
  const read = () => {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = f.map(Number);
    const idle = n[3] + n[4];
    return { busy: n.reduce((a, b) => a + b, 0) - idle, total: n.reduce((a, b) => a + b, 0) };
  };
  const start = read();
  return () => {
    const end = read();
    return (end.busy - start.busy) / (end.total - start.total);
  };
}

function timeNpmTest(dir) {
  return new Promise((done) => {
    const out = [];
    const load = loadavg()[0];
    const busy = cpuSampler();
    const t0 = Date.now();
    const child = spawn(TIME, ['-v', 'npm', 'test'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8').replace(ANSI_COLOUR, '');
      writeFileSync(join(dir, 'npm-test.log'), text);
      const durations = [...text.matchAll(/^\s*Duration\s+([\d.]+)s/gm)].map((m) => Number(m[1]));
      const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? Number.NaN);
      const seconds = (label) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(text)?.[1] ?? Number.NaN);
      done({ code, wallS: (Date.now() - t0) / 1000, durations, rssMb: rss / 1024, cpuS: seconds('User') + seconds('System'), load, busy: busy() });
    });
  });
}

const clones = [];
try {
  for (const spec of specs) {
    const [rev, variant] = spec.split(':');
    const sha = run('git', ['rev-parse', '--verify', `${rev}^{commit}`], ROOT).trim();
    const dir = mkdtempSync(join(tmpdir(), 'vg-suite-time-'));
    clones.push({ spec, sha, dir });
    log(`${spec} (${sha.slice(0, 7)}): cloning into ${dir}`);
    run('git', ['clone', '--quiet', ROOT, dir], tmpdir());
    run('git', ['checkout', '--quiet', sha], dir);
    if (variant === 'without-node') withoutNode(dir);
    log(`${spec}: npm ci and the tfjs-node build`);
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    run('node', ['scripts/build-tfjs-node.mjs'], dir);
  }
  const rows = [];
  for (const c of clones) {
    log(`${c.spec}: npm test (load average ${loadavg()[0].toFixed(2)})`);
    const r = await timeNpmTest(c.dir);
    rows.push({ ...c, ...r });
    log(`${c.spec}: exit ${r.code}, ${r.wallS.toFixed(0)} s; log in ${join(c.dir, 'npm-test.log')}`);
  }
  console.log('| tree | npm test | vitest time (its runs) | wall | CPU time (user + sys) | peak RSS | machine CPU busy | load at start |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const sum = r.durations.reduce((a, b) => a + b, 0);
    const wall = `${Math.floor(r.wallS / 60)} min ${Math.round(r.wallS % 60)} s`;
    console.log(
      `| ${r.spec} (${r.sha.slice(0, 7)}) | ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} | ${sum.toFixed(0)} s (${r.durations.map((d) => d.toFixed(0)).join(' + ')}) | ${wall} | ${r.cpuS.toFixed(0)} s | ${r.rssMb.toFixed(0)} MB | ${(100 * r.busy).toFixed(0)}% | ${r.load.toFixed(2)} |`,
    );
  }
  if (rows.some((r) => r.code !== 0)) process.exitCode = 1;
} finally {
  if (!keep) for (const c of clones) rmSync(c.dir, { recursive: true, force: true });
}
