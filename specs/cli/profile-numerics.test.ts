import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/cli/paths.js';
import { isClose, type Tolerance } from '../../src/numerics/close.js';
import * as tf from '@tensorflow/tfjs';
import { gradientProfile } from '../../src/api/layers-profile.js';
import { ConfigError } from '../../src/config/errors.js';
import { MAX_SEQ_LENGTH, MIN_PROFILE_STEPS } from '../../src/config/types.js';

/**
 * `vg profile` says where float32 failed (issue 15, part 8): "overflow" and "underflow" instead of
 * NaN or −Infinity, a footer naming the quantity and first step that overflowed, ≠ on rows where
 * tfjs and float64 disagree beyond the stated tolerance, and exit 0 (the profile was measured).
 */

// The CLI from its sources, as `npm run vg` runs it (as specs/cli/cli.test.ts does).
const vg = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, VG_QUIET: '1' },
  });

const dir = mkdtempSync(join(tmpdir(), 'vg-profile-numerics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One table row: distance, then tfjs and float64 for ‖∂L/∂h_t‖ and ‖∂L/∂x_t‖, then the ≠ notes. */
interface Row {
  readonly distance: number;
  readonly cells: readonly string[];
  readonly note: string;
}

/** Runs `vg profile` on a configuration and splits its output into rows and the other lines. */
function profile(name: string, config: object, ...flags: string[]): { status: number | null; stdout: string; rows: Row[]; footer: string[] } {
  const file = join(dir, `${name}.json`);
  const out = join(dir, `${name}.svg`);
  writeFileSync(file, JSON.stringify(config));
  const run = vg('profile', '--config', file, '--out', out, ...flags);
  const lines = run.stdout.split('\n');
  const rows = lines
    .filter((l) => /^\s+\d+\s/.test(l))
    .map((l) => {
      const [distance, ...rest] = l.trim().split(/\s{2,}/);
      return { distance: Number(distance), cells: rest.slice(0, 4), note: rest.slice(4).join('  ') };
    });
  expect(existsSync(out), `${name}: plot ${out} written; stderr ${run.stderr}`).toBe(true);
  return { status: run.status, stdout: run.stdout, rows, footer: lines.filter((l) => /^(float32|tfjs vs| {2}tolerance)/.test(l)) };
}

const ISSUE_OVERFLOW = { activation: 'relu', recurrentInit: { kind: 'normal', std: 3 } };

describe('vg profile numerics', () => {
  it.each(['wasm', 'cpu'])(
    'should print overflow, not NaN, for ReLU with W_hh ~ N(0, 3²), name the forward state and its first step, and exit 0 (backend %s)',
    (backend) => {
      const r = profile(`overflow-${backend}`, ISSUE_OVERFLOW, '--backend', backend);
      const T = 50;
      expect(r.status, `exit status; output:\n${r.stdout}`).toBe(0);
      expect(r.rows.length, `table rows:\n${r.stdout}`).toBe(T);
      expect(
        r.rows.filter((row) => /NaN|Infinity/.test(row.cells.join(' '))),
        'rows printing NaN or −Infinity',
      ).toEqual([]);
      const footer = r.footer.join('\n').match(/float32 overflow: the forward state h_t first held ±∞ or NaN at step t = (\d+) \(distance (\d+)\)/);
      expect(footer, `overflow footer in:\n${r.footer.join('\n')}`).not.toBeNull();
      expect(Number(footer![1]) + Number(footer![2]), `step ${footer![1]} + distance ${footer![2]} = T − 1`).toBe(T - 1);
      const [seed, ...rest] = r.rows;
      expect(seed.cells, 'distance 0: the seed ‖1‖ = √100 (log10 1.000) in both columns, ∂L/∂x overflowed').toEqual([
        '1.000',
        '1.000',
        'overflow',
        seed.cells[3],
      ]);
      for (const row of rest)
        expect([row.cells[0], row.cells[2]], `distance ${row.distance}: tfjs columns ${JSON.stringify(row.cells)}`).toEqual(['overflow', 'overflow']);
      for (const row of r.rows)
        expect(
          Number.isFinite(Number(row.cells[1])) && Number.isFinite(Number(row.cells[3])),
          `distance ${row.distance}: float64 columns ${JSON.stringify(row.cells)} are numbers`,
        ).toBe(true);
    },
  );

  it(
    'should print overflow, not −Infinity, where the float64 oracle itself overflowed (issue 25: ReLU, ' +
      'W_hh ~ N(0, 1), T = 1000), name its step, and draw the whole axis saying why lines stop',
    () => {
      const T = 1000;
      const r = profile('float64-overflow', { activation: 'relu', recurrentInit: { kind: 'normal', std: 1 }, seqLength: T });
      expect(r.status, `exit status; output:\n${r.stdout.slice(-2000)}`).toBe(0);
      expect(r.rows.length, 'table rows').toBe(T);
      const printed = r.rows.filter((row) => /NaN|Infinity/.test(row.cells.join(' ')));
      expect(printed.slice(0, 3), 'rows printing NaN or ±Infinity').toEqual([]);
      const footer = r.stdout.match(/float64 overflow: the oracle's forward state h_t first held ±∞ or NaN at step t = (\d+) \(distance (\d+)\)/);
      expect(footer, `float64 overflow footer in:\n${r.stdout.slice(-3000)}`).not.toBeNull();
      expect(Number(footer![1]), 'the first non-finite float64 state, as the issue measured it').toBe(349);
      const f64 = r.rows.filter((row) => row.distance > 0).map((row) => `${row.cells[1]} ${row.cells[3]}`);
      expect(f64.filter((c) => c !== 'overflow overflow').slice(0, 3), 'float64 cells beyond the seed: every one computed through step 349').toEqual([]);
      const svg = readFileSync(join(dir, 'float64-overflow.svg'), 'utf8');
      const ticks =
        [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)][0]?.[1]
          .match(/>([\d,]+)<\/text>/g)
          ?.map((t) => Number(t.replace(/[^\d]/g, ''))) ?? [];
      expect(
        Math.max(...ticks),
        `x-axis labels ${ticks.join(', ')}: the axis should reach distance ${T - 1}, not stop where the lines do`,
      ).toBeGreaterThanOrEqual(900);
      expect(svg, 'the plot says where the float64 line stops and why').toContain(
        '(float64): not drawn at distance from the last step 1–999 (float64 overflow)',
      );
    },
  );

  it('should name a backward-only overflow with its step and show overflow from that distance on', () => {
    const T = 60;
    const r = profile('backward', {
      hiddenSize: 16,
      inputSize: 4,
      seqLength: T,
      inputStd: 0,
      biasInit: { kind: 'zeros' },
      recurrentInit: { kind: 'normal', std: 3 },
    });
    expect(r.status, `exit status; output:\n${r.stdout}`).toBe(0);
    const footer = r.footer.join('\n').match(/float32 overflow: the backward ∂L\/∂h_t first held ±∞ or NaN at step t = (\d+) \(distance (\d+)\)/);
    expect(footer, `overflow footer in:\n${r.footer.join('\n')}`).not.toBeNull();
    const from = Number(footer![2]);
    for (const row of r.rows) {
      const tfjs = [row.cells[0], row.cells[2]];
      if (row.distance >= from) expect(tfjs, `distance ${row.distance} ≥ ${from}: ${JSON.stringify(row.cells)}`).toEqual(['overflow', 'overflow']);
      else
        expect(
          tfjs.every((c) => Number.isFinite(Number(c))) && row.note === '',
          `distance ${row.distance} < ${from}: numbers agreeing with float64, ${JSON.stringify(row)}`,
        ).toBe(true);
    }
  });

  it('should print underflow and no overflow when the gradient only vanishes, with tfjs agreeing with float64 elsewhere', () => {
    const r = profile('underflow', { hiddenSize: 16, inputSize: 4, seqLength: 120 });
    expect(r.status, `exit status; output:\n${r.stdout}`).toBe(0);
    const underflowed = r.rows.filter((row) => row.cells[0] === 'underflow').length;
    expect(underflowed, `rows with ‖∂L/∂h_t‖ underflow:\n${r.stdout}`).toBeGreaterThan(0);
    expect(
      r.rows.filter((row) => row.cells.includes('overflow')),
      'rows with overflow',
    ).toEqual([]);
    expect(r.footer.join('\n'), 'footer').toMatch(new RegExp(`float32 underflow .*‖∂L/∂h_t‖ at ${underflowed} of 120 steps`));
    expect(r.footer.join('\n'), 'footer').toMatch(/tfjs vs float64: agree within/);
  });

  it("should mark no row and state the tolerance on the document's demo configuration", () => {
    const r = profile('demo', {});
    expect(r.status, `exit status; output:\n${r.stdout}`).toBe(0);
    expect(
      r.rows.filter((row) => row.note !== ''),
      'rows marked ≠',
    ).toEqual([]);
    expect(r.footer.join('\n'), 'footer').toMatch(/tfjs vs float64: agree within 5\.17e-4 decades at all 100 values compared/);
    expect(r.footer.join('\n'), 'footer').toMatch(/atol = log10\(1 \+ 2T·γ_n\) = 5\.17e-4, .*n = 200 products .*T = 50/);
  });

  /** The gap printed with ≠ is one of the row's two |tfjs − float64| differences, up to the table's rounding. */
  const PRINTED_GAP: Tolerance = { atol: 2e-3, rtol: 0 };

  it("should mark the rows where a chaotic tanh network's tfjs values leave float64, with the gap", () => {
    const r = profile('chaotic', { recurrentInit: { kind: 'normal', std: 0.3 } });
    expect(r.status, `exit status; output:\n${r.stdout}`).toBe(0);
    const marked = r.rows.filter((row) => row.note.startsWith('≠'));
    expect(marked.length, `rows marked ≠:\n${r.stdout}`).toBeGreaterThan(10);
    for (const row of marked.slice(0, 5)) {
      const gap = Number(row.note.match(/by ([\d.]+)/)?.[1]);
      const h = Math.abs(Number(row.cells[0]) - Number(row.cells[1])),
        x = Math.abs(Number(row.cells[2]) - Number(row.cells[3]));
      expect(
        gap > 5.17e-4 && (isClose(gap, h, PRINTED_GAP) || isClose(gap, x, PRINTED_GAP)),
        `distance ${row.distance}: gap ${gap} is |tfjs − float64| (h ${h}, x ${x}; atol ${PRINTED_GAP.atol}, rtol ${PRINTED_GAP.rtol}) and beyond 5.17e-4`,
      ).toBe(true);
    }
    expect(r.footer.join('\n'), 'footer').toMatch(
      new RegExp(
        `tfjs vs float64: ${marked.reduce((n, row) => n + row.note.split('≠').length - 1, 0)} of 100 values compared .*DIFFER by more than 5\\.17e-4 decades`,
      ),
    );
  });

  it('should document the flags and the exit status in --help', () => {
    const run = vg('profile', '--help');
    expect(run.status, run.stderr).toBe(0);
    for (const text of ['"overflow"', '"underflow"', '≠', 'Exit status: 0 when the profile was measured'])
      expect(run.stdout, `--help mentions ${text}`).toContain(text);
  });

  it(`should take the same range of T as gradientProfile: ${MIN_PROFILE_STEPS} to ${MAX_SEQ_LENGTH} steps, refusing the rest by name`, async () => {
    const anyT = tf.sequential({ layers: [tf.layers.simpleRNN({ units: 2, inputShape: [null, 1] as unknown as number[] })] });
    const api = async (T: number): Promise<string> => {
      const x = tf.zeros([1, T, 1]);
      try {
        await gradientProfile(anyT, x);
        return 'accepted';
      } catch (e) {
        expect(e, `gradientProfile at T = ${T} threw ${String(e)}, a ConfigError expected`).toBeInstanceOf(ConfigError);
        return `refused ${(e as ConfigError).field}`;
      } finally {
        x.dispose();
      }
    };
    const cli = (T: number): string => {
      const file = join(dir, `steps-${T}.json`);
      writeFileSync(file, JSON.stringify({ seqLength: T, hiddenSize: 2, inputSize: 1 }));
      const run = vg('profile', '--config', file, '--out', join(dir, `steps-${T}.svg`));
      if (run.status === 0) return 'accepted';
      expect(run.status, `vg profile at T = ${T}: exit ${run.status}; stderr ${run.stderr}`).toBe(2);
      expect(run.stderr, `vg profile at T = ${T}: stderr should name seqLength: ${run.stderr}`).toContain('seqLength');
      return 'refused';
    };
    const outcome = async (T: number): Promise<string> => `T = ${T}: vg profile ${cli(T)}, gradientProfile ${(await api(T)).split(' ')[0]}`;
    for (const T of [MIN_PROFILE_STEPS - 1, MAX_SEQ_LENGTH + 1])
      expect(await outcome(T), 'both refuse').toBe(`T = ${T}: vg profile refused, gradientProfile refused`);
    expect(await outcome(MIN_PROFILE_STEPS), 'both accept').toBe(`T = ${MIN_PROFILE_STEPS}: vg profile accepted, gradientProfile accepted`);
    expect(await api(1), 'gradientProfile names its argument').toBe('refused input');
    anyT.dispose();
  });
});
