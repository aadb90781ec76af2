import { DEMO_CONFIG, type ModelConfig, PYTORCH_GATED_DEFAULTS, TFJS_GATED_DEFAULTS } from '../../config/types.js';
import { linearFit } from '../../numerics/stats.js';
import { decadesPerStep, evidenceOfVariants, gradientEvidence, profileLog10 } from '../evidence.js';
import { judge, seriesByDistance } from '../judge.js';
import type { Claim, ModelDomain } from '../types.js';
import { DOCUMENT_INIT } from './mitigations.js';
import { bandOf } from '../../engine/bands.js';

const pytorchRnn: ModelDomain = { kind: 'model', base: { ...DEMO_CONFIG, recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' } }, hiddenSize: [16, 100], inputSize: 'hidden', seqLength: [30, 100] };

export const VG_CORE_EXP_SHRINK: Claim<ModelDomain> = {
  id: 'VG-CORE-EXP-SHRINK',
  section: 'The Core Problem',
  kind: 'empirical',
  statement: 'In a vanilla RNN, backpropagation through time shrinks the gradient exponentially with the number of steps it crosses.',
  predicate: 'A least-squares line through log10 ‖∂L/∂h_t‖ (tfjs; the float64 chain where float32 underflows) against the distance from the end has a negative slope (decay) and R² ≥ 0.9 (a straight line on a log scale: exponential).',
  boundary: 'Holds for tanh cells at PyTorch\'s default initialisation; a ReLU cell with identity W_hh (IRNN) is split: some seeds and sizes decay in a straight line, others barely decay or do not follow a line.',
  regions: [
    { id: 'tanh-pytorch-default', description: "tanh at PyTorch's default, H = D 16–100, T 30–100", domain: pytorchRnn, expected: 'holds', runs: 25 },
    { id: 'relu-identity', description: 'ReLU with identity W_hh and zero bias (IRNN), H = D 16–64, T 30–100', domain: { ...pytorchRnn, base: { ...pytorchRnn.base, activation: 'relu', recurrentInit: { kind: 'identity', scale: 1 }, biasInit: { kind: 'zeros' } }, hiddenSize: [16, 64] }, expected: 'mixed', band: bandOf(12, 25), runs: 25 },
  ],
  plot: { title: 'Gradient against distance', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖ (float64)' },
  async evaluate(configs) {
    return (await gradientEvidence(configs)).map((e) => {
      const ys = profileLog10(e);
      const T = ys.length;
      // A ReLU cell can zero the gradient exactly (every unit inactive): vanished, but not along a line.
      const zeroAt = ys.findIndex((y) => y === -Infinity);
      if (zeroAt >= 0) return judge(false, { exactZeroGradientAtDistance: T - 1 - zeroAt }, [seriesByDistance('‖∂L/∂h_t‖', ys.map((y) => (Number.isFinite(y) ? y : null)))]);
      const fit = linearFit(ys.map((_, t) => T - 1 - t), ys);
      return judge(fit.slope < 0 && fit.r2 >= 0.9, { decadesPerStep: -fit.slope, r2: fit.r2 }, [seriesByDistance('‖∂L/∂h_t‖', ys)]);
    });
  },
};

/** The plain cell a mitigated configuration is compared with: the demo's vanilla tanh cell at the same sizes, seed and inputs. */
const plainOf = (c: ModelConfig): ModelConfig => ({ ...c, architecture: 'rnn', activation: 'tanh', recurrentInit: DEMO_CONFIG.recurrentInit, inputInit: DEMO_CONFIG.inputInit, biasInit: DEMO_CONFIG.biasInit });
const mitigated = (base: Partial<ModelConfig>, hiddenSize: readonly [number, number] = [16, 100]): ModelDomain => ({ kind: 'model', base: { ...DEMO_CONFIG, ...base }, hiddenSize, inputSize: 'hidden' });


export const VG_SUMMARY_RELIEF: Claim<ModelDomain> = {
  id: 'VG-SUMMARY-RELIEF',
  section: 'Summary',
  kind: 'empirical',
  statement: 'Initialisation, skip connections and normalisation each give partial relief: the gradient decays more slowly than in the plain cell, but it still decays.',
  predicate: "The mitigated cell loses at most 0.9 times the decades per step of ‖∂L/∂h_t‖ (tfjs) that the demo's vanilla cell loses at the same sizes, seed and inputs (a relief of at least 10%), and more than 0.05 (it still decays).",
  regions: [
    { id: 'orthogonal-init', description: "the document's initialisation (orthogonal W_hh, Glorot W_ih, zero bias), H = D 16–100, T 50", domain: mitigated(DOCUMENT_INIT), expected: 'holds', runs: 25 },
    { id: 'residual-cell', description: 'the ResidualRNNCell as written at the demo scale', domain: mitigated({ architecture: 'residual' }), expected: 'refuted', runs: 25 },
    { id: 'layernorm-cell', description: 'the LayerNormRNNCell as written at the demo scale', domain: mitigated({ architecture: 'layernorm' }), expected: 'holds', runs: 25 },
  ],
  async evaluate(configs) {
    return (await evidenceOfVariants(configs, [(c) => c, plainOf])).map(([m, p]) => {
      const rm = decadesPerStep(profileLog10(m)), rp = decadesPerStep(profileLog10(p));
      return judge(rm <= 0.9 * rp && rm > 0.05, { mitigatedDecadesPerStep: rm, plainDecadesPerStep: rp });
    });
  },
};

const pytorchVanilla = (c: ModelConfig): ModelConfig => ({ ...c, architecture: 'rnn', activation: 'tanh', recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' }, biasInit: { kind: 'pytorchDefault' } });

export const VG_SUMMARY_GATED: Claim<ModelDomain> = {
  id: 'VG-SUMMARY-GATED',
  section: 'Summary',
  kind: 'empirical',
  statement: 'Gated cells (LSTM, GRU) are the fundamental solution: their additive paths carry the gradient much further than a vanilla cell.',
  predicate: "At the framework's default initialisation, the gated cell loses at most half the decades per step of ‖∂L/∂s_t‖ (tfjs) that a vanilla tanh cell at PyTorch's default loses, at the same sizes, seed and inputs.",
  boundary: "Only the LSTM at tfjs's defaults (unit forget bias) halves the vanilla decay at initialisation; the LSTM at PyTorch's defaults and the GRU at either framework's defaults lose well over half the vanilla rate: the additive path needs an open forget (update) gate to carry the gradient.",
  regions: [
    { id: 'lstm-pytorch', description: 'LSTM, PyTorch defaults, H = D 16–64, T 50', domain: mitigated({ architecture: 'lstm', ...PYTORCH_GATED_DEFAULTS }, [16, 64]), expected: 'refuted', runs: 25 },
    { id: 'lstm-tfjs', description: 'LSTM, tfjs defaults', domain: mitigated({ architecture: 'lstm', ...TFJS_GATED_DEFAULTS }, [16, 64]), expected: 'holds', runs: 25 },
    { id: 'gru-pytorch', description: 'GRU, PyTorch defaults', domain: mitigated({ architecture: 'gru', ...PYTORCH_GATED_DEFAULTS }, [16, 64]), expected: 'refuted', runs: 25 },
    { id: 'gru-tfjs', description: 'GRU, tfjs defaults', domain: mitigated({ architecture: 'gru', ...TFJS_GATED_DEFAULTS }, [16, 64]), expected: 'refuted', runs: 25 },
  ],
  async evaluate(configs) {
    return (await evidenceOfVariants(configs, [(c) => c, pytorchVanilla])).map(([g, v]) => {
      const rg = decadesPerStep(profileLog10(g)), rv = decadesPerStep(profileLog10(v));
      return judge(rg <= 0.5 * rv, { gatedDecadesPerStep: rg, vanillaDecadesPerStep: rv });
    });
  },
};
