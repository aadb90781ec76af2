import type { InitScheme, ModelConfig } from './types.js';

/**
 * A configuration in words, in the two forms the project prints: compact (`U(-0.1,0.1)`, one
 * token, for the one-line label of a case that records, messages and CSV rows carry) and readable
 * (`U(−0.1, 0.1)`, for the report's parameters). One place, so a scheme added to InitScheme is
 * described once for every reader.
 */
export type DescribeStyle = 'compact' | 'readable';

/** An initialisation scheme in words: `U(−0.1, 0.1)` readable, `U(-0.1,0.1)` compact. */
export function initSchemeText(s: InitScheme, style: DescribeStyle = 'readable'): string {
  if (style === 'compact') {
    switch (s.kind) {
      case 'uniform':
        return `U(${s.low},${s.high})`;
      case 'normal':
        return `N(0,${s.std}²)`;
      case 'orthogonal':
        return `orth(${s.gain})`;
      case 'identity':
        return `I·${s.scale}`;
      default:
        return s.kind;
    }
  }
  switch (s.kind) {
    case 'uniform':
      return `U(${s.low < 0 ? `−${-s.low}` : s.low}, ${s.high})`;
    case 'normal':
      return `N(0, ${s.std}²)`;
    case 'orthogonal':
      return s.gain === 1 ? 'orthogonal' : `orthogonal × ${s.gain}`;
    case 'identity':
      return `${s.scale} · I`;
    case 'glorotUniform':
      return 'Glorot uniform';
    case 'pytorchDefault':
      return 'U(±1/√H) (PyTorch default)';
    case 'zeros':
      return '0';
  }
}

/** A configuration on one line, `rnn/tanh H16 D16 T50 Whh~U(-0.1,0.1) seed 7`: the label of a case in records, messages and tables. */
export function describeConfig(c: ModelConfig): string {
  const cell =
    c.architecture === 'lstm' || c.architecture === 'gru'
      ? `${c.architecture}/${c.recurrentActivation}${c.architecture === 'lstm' ? `/fb:${c.forgetBias}` : ''}`
      : `${c.architecture}/${c.activation}`;
  return `${cell} H${c.hiddenSize} D${c.inputSize} T${c.seqLength} Whh~${initSchemeText(c.recurrentInit, 'compact')} seed ${c.seed}`;
}
