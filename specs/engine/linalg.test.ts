// src/linalg's SVD and inverse (ml-matrix since issue 26) and its own eigenvalue solver, checked
// against matrices built with known spectra at the project's sizes (H up to 128) and against
// invariants, never against a copy of the code they replaced (tools/bench/linalg.ts compares them).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Complex, eigenvalues } from '../../src/linalg/eigen.js';
import { inverse } from '../../src/linalg/inverse.js';
import { type Matrix, identity, matMul, transpose, zeros } from '../../src/linalg/matrix.js';
import { singularValues } from '../../src/linalg/svd.js';
import { Rng } from '../../src/models/rng.js';
import { describeMismatch, isClose } from '../../src/numerics/close.js';

const EPS = Number.EPSILON;
/**
 * The absolute tolerance for a spectrum of an n×n matrix of norm `norm`: 16·n·ε·norm. A backward
 * stable method computes the exact spectrum of A + E with ‖E‖ ≈ n·ε·‖A‖, which moves each singular
 * value (Weyl) and each eigenvalue of a normal matrix (Bauer–Fike) by at most ‖E‖; relative accuracy
 * is not promised for values far below ‖A‖, hence rtol 0. The factor 16 covers the rounding of the
 * construction itself; tools/bench/linalg.ts measured at most 0.7·n·ε·σ_max between the old and new SVD.
 */
const spectralTol = (n: number, norm: number) => ({ atol: 16 * n * EPS * norm, rtol: 0 });

/** Applies n random Householder reflections on each side of m, in place: U·m·V with U, V orthogonal. O(n³). */
function rotateBothSides(m: Matrix, rng: Rng): Matrix {
  const n = m.rows;
  for (let k = 0; k < n; k++) {
    for (const side of ['left', 'right'] as const) {
      const v = Float64Array.from({ length: n }, () => rng.normal());
      const f = 2 / v.reduce((s, x) => s + x * x, 0);
      for (let a = 0; a < n; a++) {
        // Left: column a ← (I − f·vvᵀ)·column a. Right: row a ← row a·(I − f·vvᵀ).
        let dot = 0;
        for (let b = 0; b < n; b++) dot += v[b] * (side === 'left' ? m.data[b * n + a] : m.data[a * n + b]);
        for (let b = 0; b < n; b++) m.data[side === 'left' ? b * n + a : a * n + b] -= f * dot * v[b];
      }
    }
  }
  return m;
}

/** Singular value spectra the project meets: orthogonal·gain (all equal), identity-scaled, graded down to 10⁻¹⁴ (near-singular), random. */
const spectrumKind = fc.constantFrom('orthogonal', 'graded', 'random');
const sizedSpectrum = fc.tuple(fc.integer({ min: 1, max: 128 }), spectrumKind, fc.double({ min: 0.1, max: 3, noNaN: true }), fc.nat());

function knownSingularValues(n: number, kind: string, gain: number, seed: number): number[] {
  const rng = new Rng(seed, 'spectrum');
  if (kind === 'orthogonal') return Array(n).fill(gain);
  if (kind === 'graded') return Array.from({ length: n }, (_, i) => gain * 10 ** ((-14 * i) / Math.max(n - 1, 1)));
  return Array.from({ length: n }, () => gain * rng.next()).sort((a, b) => b - a);
}

/** Pairs each expected eigenvalue with its nearest unused computed one and returns the largest distance. */
function eigenGap(actual: Complex[], expected: Complex[]): number {
  const used = new Set<number>();
  return Math.max(
    0,
    ...expected.map((z) => {
      let best = -1,
        dist = Infinity;
      actual.forEach((w, k) => {
        const d = Math.hypot(z.re - w.re, z.im - w.im);
        if (!used.has(k) && d < dist) {
          best = k;
          dist = d;
        }
      });
      used.add(best);
      return dist;
    }),
  );
}

describe('singular values (ml-matrix SVD)', () => {
  it('should give the singular values of U·diag(s)·V, orthogonal, graded to 1e-14 and random, for n up to 128, within 16·n·ε·σ_max', () => {
    fc.assert(
      fc.property(sizedSpectrum, ([n, kind, gain, seed]) => {
        const s = knownSingularValues(n, kind, gain, seed);
        const m = zeros(n, n);
        s.forEach((v, i) => {
          m.data[i * n + i] = v;
        });
        const actual = singularValues(rotateBothSides(m, new Rng(seed, 'rotations')));
        const tol = spectralTol(n, s[0]);
        expect(actual.length, `count of singular values, n ${n}`).toBe(n);
        actual.forEach((v, i) => expect(isClose(v, s[i], tol), describeMismatch(`σ_${i} of a ${kind} spectrum, n ${n}`, v, s[i], tol)).toBe(true));
      }),
      { numRuns: 40 },
    );
  });

  it('should give c·I the singular value |c| exactly, and scale exactly with a power of two from 2^-1000 to 2^1000', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 128 }),
        fc.double({ min: -4, max: 4, noNaN: true }).filter((c) => c !== 0),
        fc.integer({ min: -1000, max: 1000 }),
        fc.nat(),
        (n, c, k, seed) => {
          expect(singularValues(identity(n, c)), `σ of ${c}·I, n ${n}`).toEqual(Array(n).fill(Math.abs(c)));
          const rng = new Rng(seed, 'scaled');
          const a: Matrix = { rows: n, cols: n, data: Float64Array.from({ length: n * n }, () => rng.normal()) };
          const scaled: Matrix = { rows: n, cols: n, data: a.data.map((v) => v * 2 ** k) };
          // Before src/linalg scaled its input, ml-matrix's SVD never returned on entries all below ~1e-290.
          expect(singularValues(scaled), `σ(2^${k}·A) against 2^${k}·σ(A), n ${n}`).toEqual(singularValues(a).map((v) => v * 2 ** k));
        },
      ),
      { numRuns: 30 },
    );
  });

  it("should return on a matrix mixing subnormal and normal entries, on which ml-matrix's SVD alone never returns", () => {
    const m: Matrix = { rows: 3, cols: 3, data: Float64Array.from([0, 1e-310, 0, 0, 0, 1 - 2 * EPS, 5e-324, -5e-324, 0]) };
    expect(singularValues(m), 'σ of a fuzzed 3×3 (entries below 2⁻⁹⁰⁰·max are read as 0)').toEqual([1 - 2 * EPS, 0, 0]);
  });

  it('should refuse a non-finite entry, naming the function and the entry', () => {
    expect(() => singularValues({ rows: 2, cols: 2, data: Float64Array.from([1, NaN, 0, 1]) }), 'NaN at [0][1]').toThrow(
      /singularValues: entry \[0\]\[1\] is NaN/,
    );
  });
});

describe('inverse (ml-matrix LU)', () => {
  it('should give V·V⁻¹ = V⁻¹·V = I for V = I + 0.3·G/√n and orthogonal V, n up to 128, within 16·n·ε·κ(V)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 128 }), fc.boolean(), fc.nat(), (n, orthogonal, seed) => {
        const rng = new Rng(seed, 'inverse');
        const v = orthogonal
          ? rotateBothSides(identity(n), rng)
          : { rows: n, cols: n, data: Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0) + (0.3 * rng.normal()) / Math.sqrt(n)) };
        const sv = singularValues(v);
        const tol = { atol: 16 * n * EPS * (sv[0] / sv[n - 1]), rtol: 0 };
        const inv = inverse(v);
        for (const [name, p] of [
          ['V·V⁻¹', matMul(v, inv)],
          ['V⁻¹·V', matMul(inv, v)],
        ] as const) {
          p.data.forEach((x, k) => {
            const e = k % (n + 1) === 0 ? 1 : 0;
            if (!isClose(x, e, tol))
              expect.fail(
                describeMismatch(
                  `(${name})[${Math.floor(k / n)}][${k % n}], ${orthogonal ? 'orthogonal' : 'I + 0.3·G/√n'}, n ${n}, κ ${sv[0] / sv[n - 1]}`,
                  x,
                  e,
                  tol,
                ),
              );
          });
        }
        if (orthogonal) expect(isClose(Math.max(...inv.data.map((x, k) => Math.abs(x - transpose(v).data[k]))), 0, tol), `max |Q⁻¹ − Qᵀ|, n ${n}`).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('should refuse a singular or non-square matrix, naming the function', () => {
    expect(() => inverse({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 2, 4]) }), 'rank 1').toThrow(/inverse: the 2x2 matrix is singular/);
    expect(() => inverse(zeros(2, 3)), '2×3').toThrow(/inverse: matrix must be square/);
  });
});

describe('eigenvalues (hand-written EISPACK hqr, kept: see eigen.ts)', () => {
  it('should give Q·blockdiag(r_k·R(θ_k))·Qᵀ the eigenvalues r_k·e^{±iθ_k}, n up to 128, within 16·n·ε·max r', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.nat(), (pairs, seed) => {
        const rng = new Rng(seed, 'rotations');
        const n = 2 * pairs;
        const m = zeros(n, n);
        const expected: Complex[] = [];
        for (let k = 0; k < pairs; k++) {
          const r = rng.uniform(0.1, 1.5),
            t = rng.uniform(0.05, 3);
          m.data.set([r * Math.cos(t), -r * Math.sin(t)], 2 * k * n + 2 * k);
          m.data.set([r * Math.sin(t), r * Math.cos(t)], (2 * k + 1) * n + 2 * k);
          expected.push({ re: r * Math.cos(t), im: r * Math.sin(t) }, { re: r * Math.cos(t), im: -r * Math.sin(t) });
        }
        // An orthogonal similarity: the matrix stays normal, so its eigenvalues stay well conditioned.
        const q = rotateBothSides(identity(n), rng);
        const a = matMul(matMul(q, m), transpose(q));
        const gap = eigenGap(eigenvalues(a), expected);
        const tol = spectralTol(n, Math.max(...expected.map((z) => Math.hypot(z.re, z.im))));
        expect(isClose(gap, 0, tol), describeMismatch(`largest distance to r·e^{±iθ}, n ${n}`, gap, 0, tol)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it("should return 0 and ±i√2 for [[0, 0, −1], [0, 0, 1], [1, −1, 0]], on which ml-matrix 6.15.1's EVD never returns", () => {
    const ev = eigenvalues({ rows: 3, cols: 3, data: Float64Array.from([0, 0, -1, 0, 0, 1, 1, -1, 0]) });
    const gap = eigenGap(ev, [
      { re: 0, im: Math.SQRT2 },
      { re: 0, im: -Math.SQRT2 },
      { re: 0, im: 0 },
    ]);
    expect(gap, `eigenvalues ${JSON.stringify(ev)}`).toBeLessThan(1e-14);
  });
});
