/**
 * Issue 26's measurement: src/linalg's SVD and inverse (ml-matrix since then) against the
 * hand-written ones they replaced, read from git, and the eigenvalue solver src/linalg kept
 * (EISPACK hqr, eigen.ts) against ml-matrix's EVD, which it did not adopt. Usage:
 *   npx tsx tools/bench/linalg.ts [--against=REV] [--repeats=N]
 * REV (default HAND_WRITTEN_REV) is a commit whose src/linalg still holds the hand-written
 * svd.ts and inverse.ts. For each matrix family and size it prints the largest disagreement
 * (scaled by σ_max for singular values and eigenvalues, by max|X| for inverses; invariant
 * quantities, so order and sign conventions do not count) and the ratio of median times
 * new/old (ml-matrix/hand-written), timed alternately so load on the machine hits both alike.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EigenvalueDecomposition } from 'ml-matrix';
import { type Complex, eigenvalues } from '../../src/linalg/eigen.js';
import { inverse } from '../../src/linalg/inverse.js';
import { type Matrix, identity, matMul } from '../../src/linalg/matrix.js';
import { toMlMatrix, unitScale } from '../../src/linalg/ml.js';
import { singularValues } from '../../src/linalg/svd.js';
import { Rng } from '../../src/models/rng.js';

/** The last commit with the hand-written SVD (one-sided Jacobi) and Gauss–Jordan inverse. */
const HAND_WRITTEN_REV = '926cc89';
const SIZES = [8, 16, 32, 64, 100, 128];

interface Implementation {
  singularValues(m: Matrix): number[];
  inverse(m: Matrix): Matrix;
}

/** ml-matrix's eigenvalues, scaled as src/linalg scales its SVD input (eigen.ts says why they are not used). */
function mlEigenvalues(m: Matrix): Complex[] {
  const scale = unitScale(m);
  const evd = new EigenvalueDecomposition(toMlMatrix(m, 'mlEigenvalues', scale));
  return evd.realEigenvalues.map((re, i) => ({ re: re * scale, im: evd.imaginaryEigenvalues[i] * scale }));
}

/** Imports the hand-written modules of `rev` from a scratch copy (tsx compiles them). */
async function handWritten(rev: string): Promise<Implementation> {
  const dir = mkdtempSync(join(tmpdir(), 'vg-linalg-'));
  try {
    for (const f of ['matrix', 'svd', 'inverse']) {
      writeFileSync(join(dir, `${f}.ts`), execFileSync('git', ['show', `${rev}:src/linalg/${f}.ts`], { encoding: 'utf8' }));
    }
    const load = (f: string) => import(pathToFileURL(join(dir, `${f}.ts`)).href);
    const [svd, inv] = await Promise.all([load('svd'), load('inverse')]);
    return { singularValues: svd.singularValues, inverse: inv.inverse };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Q = H₁·…·H_n, a product of random Householder reflections: orthogonal to rounding. */
function orthogonal(n: number, rng: Rng): Matrix {
  let q = identity(n);
  for (let k = 0; k < n; k++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    const vv = v.reduce((s, x) => s + x * x, 0);
    const h = identity(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h.data[i * n + j] -= (2 * v[i] * v[j]) / vv;
    q = matMul(q, h);
  }
  return q;
}

/** The matrix families of the brief: those the project builds, and the hard cases. */
const FAMILIES: Record<string, (n: number, rng: Rng) => Matrix> = {
  'gaussian N(0, 1/n)': (n, rng) => ({ rows: n, cols: n, data: Float64Array.from({ length: n * n }, () => rng.normal() / Math.sqrt(n)) }),
  'uniform U(-0.1, 0.1) (demo)': (n, rng) => ({ rows: n, cols: n, data: Float64Array.from({ length: n * n }, () => rng.uniform(-0.1, 0.1)) }),
  orthogonal: (n, rng) => orthogonal(n, rng),
  '0.9·I': (n) => identity(n, 0.9),
  'near-singular (σ 1 … 1e-14)': (n, rng) => {
    const u = orthogonal(n, rng),
      v = orthogonal(n, rng);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) u.data[i * n + j] *= 10 ** ((-14 * j) / Math.max(n - 1, 1));
    return matMul(u, v);
  },
};

/** Largest |a_i − b_i| over the sorted lists. */
const maxSortedGap = (a: number[], b: number[]): number => {
  const [x, y] = [[...a].sort((p, q) => p - q), [...b].sort((p, q) => p - q)];
  return Math.max(...x.map((v, i) => Math.abs(v - y[i])));
};

/** Largest distance from an eigenvalue of one list to its nearest unused partner in the other (greedy matching). */
function maxEigenGap(a: Complex[], b: Complex[]): number {
  const used = new Set<number>();
  let worst = 0;
  for (const z of a) {
    let best = -1,
      dist = Infinity;
    b.forEach((w, k) => {
      const d = Math.hypot(z.re - w.re, z.im - w.im);
      if (!used.has(k) && d < dist) {
        best = k;
        dist = d;
      }
    });
    used.add(best);
    worst = Math.max(worst, dist);
  }
  return worst;
}

const maxAbs = (d: Float64Array): number => d.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
const residual = (a: Matrix, x: Matrix): number => {
  const p = matMul(a, x),
    i = identity(a.rows);
  return maxAbs(p.data.map((v, k) => v - i.data[k]));
};

/** Median milliseconds of `repeats` calls of each of two functions, alternated. */
function timeBoth(repeats: number, f: () => unknown, g: () => unknown): [number, number] {
  const tf: number[] = [],
    tg: number[] = [];
  f();
  g();
  for (let r = 0; r < repeats; r++) {
    let t = performance.now();
    f();
    tf.push(performance.now() - t);
    t = performance.now();
    g();
    tg.push(performance.now() - t);
  }
  const med = (v: number[]) => v.sort((p, q) => p - q)[Math.floor(v.length / 2)];
  return [med(tf), med(tg)];
}

const fmt = (x: number): string => (x === 0 ? '0' : x.toExponential(1));

async function main(): Promise<void> {
  const rev = process.argv.find((a) => a.startsWith('--against='))?.split('=')[1] ?? HAND_WRITTEN_REV;
  const repeats = Number(process.argv.find((a) => a.startsWith('--repeats='))?.split('=')[1] ?? 7);
  const old = await handWritten(rev);
  const current: Implementation = { singularValues, inverse };
  console.log(
    `SVD and inverse: src/linalg (ml-matrix) against the hand-written code of ${rev}; eigenvalues: ml-matrix's EVD against src/linalg's (hand-written)`,
  );
  console.log(`times: median of ${repeats}, ratio ml-matrix/hand-written; #|λ|<1−10⁻⁶ as VG-EIGEN-TYPICAL counts`);
  console.log(
    'family | n | Δσ/σmax | Δλ/σmax | Δρ/σmax | #|λ|<1−10⁻⁶ hand→ml | svd ms hand→ml (ratio) | eig ms ' +
      'hand→ml (ratio) | inv: Δ/max|X|, ‖AX−I‖ hand, ml | inv ms (ratio)',
  );
  for (const [name, make] of Object.entries(FAMILIES)) {
    for (const n of SIZES) {
      const a = make(n, new Rng(n, name));
      const [so, sn] = [old.singularValues(a), current.singularValues(a)];
      const [eo, en] = [eigenvalues(a), mlEigenvalues(a)];
      const top = so[0] || 1;
      const radius = (e: Complex[]) => Math.max(...e.map((z) => Math.hypot(z.re, z.im)));
      const inside = (e: Complex[]) => e.filter((z) => Math.hypot(z.re, z.im) < 1 - 1e-6).length;
      const [ts, tsn] = timeBoth(
        repeats,
        () => old.singularValues(a),
        () => current.singularValues(a),
      );
      const [te, ten] = timeBoth(
        repeats,
        () => eigenvalues(a),
        () => mlEigenvalues(a),
      );
      // The inverse is meant for well-conditioned matrices; near-singular ones report their residuals only.
      const [xo, xn] = [old.inverse(a), current.inverse(a)];
      const invGap = maxAbs(xo.data.map((v, k) => v - xn.data[k])) / maxAbs(xo.data);
      const [ti, tin] = timeBoth(
        repeats,
        () => old.inverse(a),
        () => current.inverse(a),
      );
      console.log(
        [
          name,
          n,
          fmt(maxSortedGap(so, sn) / top),
          fmt(maxEigenGap(eo, en) / top),
          fmt(Math.abs(radius(eo) - radius(en)) / top),
          `${inside(eo)}→${inside(en)}`,
          `${ts.toFixed(2)}→${tsn.toFixed(2)} (${(tsn / ts).toFixed(2)})`,
          `${te.toFixed(2)}→${ten.toFixed(2)} (${(ten / te).toFixed(2)})`,
          `${fmt(invGap)}, ${fmt(residual(a, xo))}, ${fmt(residual(a, xn))}`,
          `${ti.toFixed(2)}→${tin.toFixed(2)} (${(tin / ti).toFixed(2)})`,
        ].join(' | '),
      );
    }
  }
}

await main();
