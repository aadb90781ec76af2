import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunIndex, type RunMeta, finishRun, historyOf, startRun } from '../../src/cli/runs.js';
import { ROOT, outputDirs } from '../../src/cli/paths.js';
import { isFullRun } from '../../src/cli/verify.js';
import { verifyOptions } from '../../src/cli/options.js';

/**
 * Nothing a user does loses results (issue 25, item 1), as a sequence of commands a user types in
 * a project: each `vg verify` writes into a run directory of its own, reports/latest.json names
 * the newest finished run, a selection that matches nothing is refused before anything is run or
 * touched, an interrupted run never becomes what a report shows, and `vg report` never replaces a
 * good report with a worse one. The CLI runs from its sources, as specs/cli/cli.test.ts runs it.
 */

const project = mkdtempSync(join(tmpdir(), 'vg-outputs-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));
const reports = join(project, 'reports');
// tsx by its path: the project is a fresh directory, where `--import tsx` would not resolve.
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const argv = (args: readonly string[]): string[] => ['--import', TSX, join(ROOT, 'src', 'cli', 'main.ts'), ...args];
const env = { ...process.env, VG_QUIET: '1' };
const vg = (...args: string[]) => spawnSync(process.execPath, argv(args), { cwd: project, encoding: 'utf8', env });
const said = (r: { status: number | null; stdout: string; stderr: string }): string =>
  `exit ${r.status}\n--- stdout\n${r.stdout.slice(-1500)}\n--- stderr\n${r.stderr.slice(-1500)}`;

/** Every file under reports/ with a hash of its content: what "nothing was touched" compares. */
function snapshot(dir = reports): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const file = join(e.parentPath, e.name);
        return [relative(dir, file), createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16)];
      })
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
const index = (): RunIndex => JSON.parse(readFileSync(join(reports, 'latest.json'), 'utf8')) as RunIndex;
const runsNow = (): string[] => (existsSync(join(reports, 'runs')) ? readdirSync(join(reports, 'runs')).sort() : []);
const runMeta = (id: string): RunMeta => JSON.parse(readFileSync(join(reports, 'runs', id, 'run.json'), 'utf8')) as RunMeta;

/** Starts `vg verify` and interrupts it as Ctrl-C does (SIGINT to its process group) once its run directory exists. */
async function interruptedVerify(...args: string[]): Promise<string> {
  const before = runsNow();
  const child: ChildProcess = spawn(process.execPath, argv(['verify', ...args]), { cwd: project, env, detached: true, stdio: 'ignore' });
  const started = Date.now();
  let id: string | undefined;
  while (!id && Date.now() - started < 60_000) {
    await new Promise((r) => setTimeout(r, 200));
    id = runsNow().find((r) => !before.includes(r) && existsSync(join(reports, 'runs', r, 'run.json')));
  }
  process.kill(-child.pid!, 'SIGINT');
  await new Promise((r) => child.once('exit', r));
  if (!id) throw new Error('vg verify made no run directory within 60 s');
  return id;
}

describe("vg verify and vg report in a user's project: no run loses another's results", () => {
  let first = '',
    interrupted = '',
    second = '';

  it('should write a run into a directory of its own and name it in reports/latest.json', () => {
    const r = vg('verify', '--claim', 'VG-TANH-MAX', '--no-report');
    expect(r.status, said(r)).toBe(0);
    [first] = runsNow();
    expect(runsNow(), `run directories after one run:\n${said(r)}`).toHaveLength(1);
    expect(index().latest, `latest.json: ${JSON.stringify(index())}`).toBe(first);
    for (const f of ['allure-results', 'evidence', 'claims.json', 'verdicts.svg', 'run.json'])
      expect(existsSync(join(reports, 'runs', first, f)), `${f} in the run's directory`).toBe(true);
    expect(runMeta(first).kind, `run.json of a --claim run: ${JSON.stringify(runMeta(first))}`).toBe('partial');
    // Issue 23: the partial summary says what ran, and never passes for npm run verify's.
    const run = (JSON.parse(readFileSync(join(reports, 'partial', 'claims.json'), 'utf8')) as { run?: { kind: string; claims: string[] } }).run;
    expect(run, `partial/claims.json's run: ${JSON.stringify(run)}`).toMatchObject({ kind: 'partial', claims: ['VG-TANH-MAX'] });
    const head = readFileSync(join(reports, 'partial', 'CLAIMS.md'), 'utf8')
      .split('\n')
      .slice(0, 3)
      .join('\n');
    expect(
      head.startsWith('# Partial run: verdicts on claim VG-TANH-MAX') && head.includes('`vg verify --claim VG-TANH-MAX`') && !head.includes('npm run verify'),
      `partial/CLAIMS.md opens:\n${head}`,
    ).toBe(true);
    expect(
      existsSync(join(reports, 'partial', 'verdicts-04.svg')) && existsSync(join(reports, 'runs', first, 'verdicts-04.svg')),
      "the figure of the claim's section (verdicts-04.svg) beside the partial summary and in the run",
    ).toBe(true);
  }, 180_000);

  it('should refuse a selection that matches nothing (exit 2, naming the flags) before anything is run or touched', () => {
    const before = snapshot();
    const pin = join(project, 'pin.json');
    writeFileSync(pin, JSON.stringify({ hiddenSize: 8 }));
    for (const [args, flags] of [
      [
        ['verify', '--claim', 'VG-DEMO-GAP', '--section', 'Eigenvalue Perspective'],
        ['--claim', '--section'],
      ],
      [
        ['verify', '--claim', 'VG-TANH-MAX', '--config', pin],
        ['--claim', '--config'],
      ],
      [
        ['verify', '--section', 'Eigenvalue Perspective', '--verdict', 'refuted'],
        ['--section', '--verdict'],
      ],
    ] as const) {
      const start = performance.now();
      const r = vg(...args);
      const ms = performance.now() - start;
      expect(r.status, `vg ${args.join(' ')}: ${said(r)}`).toBe(2);
      for (const flag of flags) expect(r.stderr, `vg ${args.join(' ')}: stderr should name ${flag}`).toContain(flag);
      expect(r.stderr, `vg ${args.join(' ')}: stderr should say nothing ran`).toContain('Nothing was run or deleted');
      expect(ms, `vg ${args.join(' ')} took ${ms.toFixed(0)} ms: refused before the claim suite starts`).toBeLessThan(15_000);
    }
    expect(snapshot(), 'files under reports/ after the refused selections against before').toEqual(before);
  }, 120_000);

  it('should keep an interrupted run out of latest.json, show the last finished run with vg report, and refuse the interrupted one by name', async () => {
    interrupted = await interruptedVerify('--claim', 'VG-BOUND-GAMMA');
    expect(runMeta(interrupted).finished, `run.json of the interrupted run: ${JSON.stringify(runMeta(interrupted))}`).toBeNull();
    expect(index().latest, 'latest.json after an interrupted run').toBe(first);
    const r = vg('report');
    expect(r.status, said(r)).toBe(0);
    expect(r.stdout, `vg report should build the last finished run's report:\n${said(r)}`).toContain(
      join(reports, 'runs', first, 'allure-report', 'index.html'),
    );
    const stale = vg('report', join('reports', 'runs', interrupted));
    expect(stale.status, said(stale)).toBe(2);
    expect(stale.stderr, `vg report of the interrupted run should name it:\n${said(stale)}`).toContain(interrupted);
    expect(stale.stderr, `and say why:\n${said(stale)}`).toContain('never finished');
  }, 180_000);

  it('should leave an earlier run whole when another runs, and report the newer one from its own directory', () => {
    const earlier = snapshot(join(reports, 'runs', first));
    const r = vg('verify', '--claim', 'VG-BOUND-GAMMA');
    expect(r.status, said(r)).toBe(0);
    second = index().latest!;
    expect([second === first, second === interrupted], `latest ${second} against the first ${first} and the interrupted ${interrupted}`).toEqual([
      false,
      false,
    ]);
    expect(r.stdout, `vg verify should build its report in its own directory:\n${said(r)}`).toContain(
      join(reports, 'runs', second, 'allure-report', 'index.html'),
    );
    expect(snapshot(join(reports, 'runs', first)), "the first run's files (results, evidence, report) after the second run and its report").toEqual(earlier);
    const histories = Object.keys(snapshot()).filter((f) => f.endsWith('history.jsonl'));
    expect(histories, 'history files under reports/: one per output root').toEqual(['history.jsonl']);
    const entries = readFileSync(join(reports, 'history.jsonl'), 'utf8').trim().split('\n').length;
    expect(entries, 'history entries after two reports of this root').toBe(2);
  }, 180_000);

  it('should refuse to replace a report with one built from older results (exit 2, naming --out) and leave it as it was', () => {
    const target = join(reports, 'runs', second, 'allure-report');
    const before = snapshot(target);
    const r = vg('report', join('reports', 'runs', first), '--out', target);
    expect(r.status, said(r)).toBe(2);
    expect(r.stderr, `stderr should name --out and the report there:\n${said(r)}`).toContain(`--out: got "${target}"`);
    expect(snapshot(target), 'the newer report after the refused rebuild').toEqual(before);
    expect(statSync(join(target, 'index.html')).size, 'the newer report still has its index.html').toBeGreaterThan(0);
  }, 60_000);
});

describe('run directories and the index (src/cli/runs.ts)', () => {
  it('should give a full and a partial run started in the same second directories of their own, and name the newest of each in latest.json', () => {
    const root = mkdtempSync(join(tmpdir(), 'vg-runs-'));
    try {
      const dirs = outputDirs(root),
        at = new Date('2025-01-07T12:03:01.500Z');
      const full = startRun(dirs, 'full', {}, at),
        partial = startRun(dirs, 'partial', {}, at),
        again = startRun(dirs, 'partial', {}, at);
      expect([full.id, partial.id, again.id], 'run ids started in one second').toEqual([
        '20250107T120301Z-full',
        '20250107T120301Z-partial',
        '20250107T120301Z-partial-2',
      ]);
      finishRun(dirs, full, { status: 0, regions: 225 });
      finishRun(dirs, partial, { status: 0, regions: 3 });
      finishRun(dirs, again, { status: 1, regions: 0 });
      const idx = JSON.parse(readFileSync(dirs.index, 'utf8')) as RunIndex;
      expect([idx.latest, idx.latestFull], `latest.json ${JSON.stringify(idx)}: a run that measured nothing is not listed`).toEqual([partial.id, full.id]);
      expect(
        idx.runs.map((r) => r.id),
        'runs listed in latest.json',
      ).toEqual([full.id, partial.id]);
      expect(isFullRun(verifyOptions({})), 'vg verify with no flag is a full run').toBe(true);
      for (const flags of [{ claim: ['VG-TANH-MAX'] }, { training: 'reduced' }, { shard: '1/2' }, { runs: '5' }, { record: true }]) {
        expect(isFullRun(verifyOptions(flags)), `vg verify ${JSON.stringify(flags)} is partial`).toBe(false);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("should carry a 0.1 history (history/history.jsonl) into the root's one history file, once, so the trend goes on", () => {
    const root = mkdtempSync(join(tmpdir(), 'vg-history-'));
    try {
      const dirs = outputDirs(root);
      mkdirSync(join(root, 'history'));
      writeFileSync(dirs.legacyHistory, '{"uuid":"old-run"}\n');
      expect(historyOf(dirs), 'the history file of the root').toBe(join(root, 'history.jsonl'));
      expect(readFileSync(dirs.history, 'utf8'), 'the 0.1 entries carried over').toBe('{"uuid":"old-run"}\n');
      writeFileSync(dirs.history, '{"uuid":"old-run"}\n{"uuid":"new-run"}\n');
      historyOf(dirs);
      expect(readFileSync(dirs.history, 'utf8').trim().split('\n').length, "a second call leaves the root's history as it is").toBe(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
