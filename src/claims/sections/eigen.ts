import { matVec, norm2 } from '../../linalg/matrix.js';
import { createParams } from '../../models/params.js';
import { recurrentMatrix, spectrum } from '../../probes/spectra.js';
import { judge } from '../judge.js';
import { diagonalizable } from '../matrices.js';
import type { Claim, MatrixDomain, ModelDomain } from '../../engine/types.js';
import { sourceOf } from '../source.js';

const SECTION = 'Eigenvalue Perspective' as const;
const SOURCE = sourceOf(import.meta.url);
const STEPS = 8;
const DECADES = 1e-6;

export const VG_EIGEN_COMPONENTS: Claim<MatrixDomain> = {
  id: 'VG-EIGEN-COMPONENTS',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: 'For a diagonalisable recurrent matrix, the component of a vector along an eigenvector scales by |λ| at every multiplication: it decays when |λ| < 1 and grows when |λ| > 1.',
  predicate: `For W = V·diag(λ)·V⁻¹ (float64), each eigenvector u_i multiplied n = ${STEPS} times has ‖Wⁿu_i‖/‖u_i‖ = |λ_i|ⁿ within ${DECADES} decades: it shrank when |λ_i| < 1 and grew when |λ_i| > 1.`,
  regions: [{ id: 'real-spectra', description: 'size 1–8, real eigenvalues with |λ| in [0.1·s, s], s 0.5–1.6', domain: { kind: 'matrix', structure: 'diagonalizable', size: [1, 8], scale: [0.5, 1.6] }, expected: 'holds', runs: 150 }],
  async evaluate(subjects) {
    return subjects.map((s) => {
      const { matrix, eigenvectors, eigenvalues } = diagonalizable(s);
      // One eigenvector at a time: rounding in a mixed vector would swamp the small components.
      let worst = 0, directionOk = true;
      eigenvalues.forEach((l, i) => {
        const u = Float64Array.from({ length: s.size }, (_, r) => eigenvectors.data[r * s.size + i]);
        let w: Float64Array = u;
        for (let n = 0; n < STEPS; n++) w = matVec(matrix, w);
        const ratio = norm2(w) / norm2(u);
        worst = Math.max(worst, Math.abs(Math.log10(ratio) - STEPS * Math.log10(Math.abs(l))));
        if ((Math.abs(l) < 1) !== (ratio < 1)) directionOk = false;
      });
      return judge(worst <= DECADES && directionOk, { size: s.size, maxLog10Error: worst, largestModulus: Math.max(...eigenvalues.map(Math.abs)), smallestModulus: Math.min(...eigenvalues.map(Math.abs)) });
    });
  },
};

/** |λ| counts as inside the unit circle below 1 − 1e-6 (orthogonal matrices sit on it up to float32 rounding). */
const INSIDE = 1 - 1e-6;
const typical = (extra: Partial<ModelDomain>): ModelDomain => ({ kind: 'model', base: { seqLength: 1 }, hiddenSize: [16, 100], inputSize: [1, 1], ...extra });

export const VG_EIGEN_TYPICAL: Claim<ModelDomain> = {
  id: 'VG-EIGEN-TYPICAL',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'Under typical random initialisation, most eigenvalues of the recurrent matrix lie strictly inside the unit circle.',
  predicate: `More than half of the eigenvalues of W_hh (float64 QR on the float32 weights) have |λ| < ${INSIDE}.`,
  boundary: "Holds for the small uniform inits of the demo and PyTorch's default, and for Glorot; fails for orthogonal W_hh, the default recurrent initialiser of tfjs's SimpleRNN, LSTM and GRU (every |λ| = 1), and for N(0, σ²) once σ·√H exceeds √2 (circular law).",
  regions: [
    { id: 'demo-uniform', description: 'U(−0.1, 0.1), H 16–100', domain: typical({}), expected: 'holds', runs: 25 },
    { id: 'pytorch-default', description: "PyTorch's default U(±1/√H), H 16–100", domain: typical({ recurrentInits: [{ kind: 'pytorchDefault' }] }), expected: 'holds', runs: 25 },
    { id: 'glorot', description: 'Glorot uniform, H 16–100', domain: typical({ recurrentInits: [{ kind: 'glorotUniform' }] }), expected: 'holds', runs: 25 },
    { id: 'tfjs-default-orthogonal', description: 'orthogonal (tfjs SimpleRNN/LSTM/GRU recurrentInitializer default), H 16–100', domain: typical({ recurrentInits: [{ kind: 'orthogonal', gain: 1 }] }), expected: 'refuted', runs: 25 },
    { id: 'wide-normal', description: 'N(0, σ²) with σ 0.2–0.3, H 64–100 (σ√H ≥ 1.6)', domain: typical({ recurrentNormal: [0.2, 0.3], hiddenSize: [64, 100] }), expected: 'refuted', runs: 25 },
  ],
  async evaluate(configs) {
    return configs.map((config) => {
      const sp = spectrum(recurrentMatrix(createParams(config)));
      const moduli = sp.eigenvalues.map((z) => Math.hypot(z.re, z.im));
      const inside = moduli.filter((m) => m < INSIDE).length / moduli.length;
      return judge(inside > 0.5, { fractionInside: inside, spectralRadius: sp.spectralRadius, spectralNorm: sp.spectralNorm, hiddenSize: config.hiddenSize });
    });
  },
};
