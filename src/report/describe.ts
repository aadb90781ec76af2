import { describeConfig, initSchemeText } from '../config/describe.js';
import type { InitScheme, ModelConfig } from '../config/types.js';
import type { Domain, TrainingSubject } from '../engine/types.js';
import { sig } from '../numerics/round.js';

/**
 * Subjects and regions in words, for the records (a counterexample's subject), the messages of a
 * failed test (which quote the record) and the report's parameters. Configurations and their
 * initialisation schemes are described by config/describe.ts, the one place for them.
 */

/** A readable one-line description of a sampled subject. */
export function describeSubject(subject: unknown): string {
  if (typeof subject === 'number') return `x = ${sig(subject, 6)}`;
  if (subject && typeof subject === 'object' && 'architecture' in subject) return describeConfig(subject as ModelConfig);
  if (subject && typeof subject === 'object' && Object.keys(subject).length === 1 && 'seed' in subject)
    return `model seed ${(subject as { seed: number }).seed}`;
  if (subject && typeof subject === 'object' && 'lags' in subject) {
    const t = subject as TrainingSubject;
    return `${t.model} on ${t.task}, lag${t.lags.length > 1 ? 's' : ''} ${t.lags.join(', ')}, seed ${t.seed}`;
  }
  return JSON.stringify(subject);
}

/** `100` for equal ends, `16–100` otherwise. */
function span(r: readonly [number, number]): string {
  return r[0] === r[1] ? String(r[0]) : `${r[0]}–${r[1]}`;
}

const CELL_NAME: Readonly<Record<string, string>> = { rnn: 'RNN', residual: 'residual RNN', layernorm: 'layer-norm RNN', lstm: 'LSTM', gru: 'GRU' };
const MATRIX_SCALE: Readonly<Record<string, string>> = {
  diagonalizable: 'eigenvalue modulus',
  gaussian: 'entry std',
  orthogonal: 'scale',
  spectralNormBelowOne: 'spectral norm',
};

/**
 * The region's configuration space as a person reads it: `hidden size 16–100`, `W_hh ~ U(−0.1, 0.1)`,
 * only the settings that apply to the region's cells (no gate activation for a tanh RNN), ranges
 * with equal ends collapsed. Name → value, in reading order.
 */
export function readableParameters(domain: Domain, subjects: readonly unknown[] = []): Array<[string, string]> {
  if (domain.kind === 'real') return [['x', domain.min === domain.max ? String(domain.min) : `[${domain.min}, ${domain.max}]`]];
  if (domain.kind === 'seed') return [['seeds', span([domain.min, domain.max])]];
  if (domain.kind === 'matrix')
    return [
      ['matrices', domain.structure],
      ['size n', span(domain.size)],
      [MATRIX_SCALE[domain.structure] ?? 'scale', span(domain.scale)],
    ];
  if (domain.kind === 'training') {
    const b = domain.budget;
    return [
      ['task', domain.task],
      ['model', domain.model],
      [domain.lags.length === 1 ? 'lag' : 'lags', domain.lags.join(', ')],
      ['seeds', domain.seeds.join(', ')],
      ['budget', `≤ ${b.steps} updates × ${b.batchSize}, lr ${b.learningRate}, hidden size ${b.hiddenSize}`],
    ];
  }
  const d = domain,
    base = d.base;
  const cells = d.architectures ?? [base.architecture ?? 'rnn'];
  const vanilla = cells.some((c) => c === 'rnn' || c === 'residual' || c === 'layernorm');
  const gated = cells.some((c) => c === 'lstm' || c === 'gru');
  const out: Array<[string, string]> = [['cell', cells.map((c) => CELL_NAME[c] ?? c).join(' | ')]];
  if (vanilla) out.push(['activation', (d.activations ?? [base.activation ?? 'tanh']).join(' | ')]);
  if (gated) out.push(['gate activation', (d.recurrentActivations ?? [base.recurrentActivation ?? 'sigmoid']).join(' | ')]);
  if (cells.includes('lstm')) out.push(['forget bias', (d.forgetBiases ?? [base.forgetBias ?? 'init']).join(' | ')]);
  const hidden = d.hiddenSize ?? (base.hiddenSize !== undefined ? ([base.hiddenSize, base.hiddenSize] as const) : null);
  if (hidden) out.push(['hidden size', span(hidden)]);
  if (d.inputSize === 'hidden') out.push(['input size', '= hidden size']);
  else if (d.inputSize) out.push(['input size', span(d.inputSize)]);
  else if (base.inputSize !== undefined) out.push(['input size', String(base.inputSize)]);
  const steps = d.seqLength ?? (base.seqLength !== undefined ? ([base.seqLength, base.seqLength] as const) : null);
  if (steps) out.push(['steps T', span(steps)]);
  const a = d.recurrentUniform,
    s = d.recurrentNormal;
  const text = (v: InitScheme): string => initSchemeText(v);
  const whh = a
    ? a[0] === a[1]
      ? `U(−${a[0]}, ${a[0]})`
      : `U(−a, a), a ∈ ${span(a)}`
    : s
      ? `N(0, σ²), σ ∈ ${span(s)}`
      : (d.recurrentInits ?? (base.recurrentInit ? [base.recurrentInit] : [])).map(text).join(' | ');
  // A setting the region leaves to the configuration's defaults is read from the cases it ran.
  const ran = (key: 'recurrentInit' | 'inputInit'): string =>
    [
      ...new Set(
        subjects
          .map((c) => (c as Partial<ModelConfig>)[key])
          .filter((v): v is InitScheme => v !== undefined)
          .map(text),
      ),
    ].join(' | ');
  out.push(['W_hh', `~ ${whh || ran('recurrentInit') || 'default'}`]);
  out.push(['W_ih', `~ ${(d.inputInits ?? (base.inputInit ? [base.inputInit] : [])).map(text).join(' | ') || ran('inputInit') || 'default'}`]);
  return out;
}
