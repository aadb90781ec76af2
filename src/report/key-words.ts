/**
 * A key number in words (issue 23): the figure, CLAIMS.md and the verdict site name a claim's key
 * number (the one it declares, engine/types.ts KeyNumberDeclaration) the way a reader would, with its unit, instead of the
 * evaluation's field name. Pure: a dictionary and a fallback, nothing read or computed.
 */

/** How a key number reads: `words` name the quantity, `unit` follows the value ('' when it has none). */
export interface KeyNumberWords {
  readonly words: string;
  readonly unit: string;
}

const DECADES = 'decades';
/** For quantities whose words already say "per step". */
const PER_STEP = 'decades';

/** The key numbers the registry's evaluations report first, in the reader's words. */
const WORDS: Readonly<Record<string, KeyNumberWords>> = {
  decadesPerStep: { words: 'gradient lost per step', unit: PER_STEP },
  absDecadesPerStep: { words: 'gradient change per step (either way)', unit: PER_STEP },
  plottedSlopeDecadesPerStep: { words: 'slope of the plotted curve', unit: 'decades/step' },
  smallerScaleDecadesPerStep: { words: 'loss per step at the smaller weight scale', unit: PER_STEP },
  layerNormDecadesPerStep: { words: 'layer-norm cell: gradient lost per step', unit: PER_STEP },
  gruDecadesPerStep: { words: 'GRU: gradient lost per step', unit: PER_STEP },
  mitigatedDecadesPerStep: { words: 'mitigated cell: gradient lost per step', unit: PER_STEP },
  gatedDecadesPerStep: { words: 'gated cell: gradient lost per step', unit: PER_STEP },
  maxLog10Difference: { words: 'largest gap, autodiff vs Jacobian product', unit: DECADES },
  maxRelativeDistance: { words: 'largest relative distance of the Jacobian', unit: '' },
  log10NormOfProduct: { words: 'norm of the product (log10)', unit: '' },
  gamma: { words: 'γ, the largest one-step gain', unit: '' },
  tfjsSlope: { words: 'tanh′ as tfjs computes it', unit: '' },
  slope: { words: 'tanh′(x)', unit: '' },
  spectralNorm: { words: 'spectral norm ‖W‖₂', unit: '' },
  boundForcesDecades: { words: 'decay the γ bound forces over the run', unit: DECADES },
  maxLog10Error: { words: 'largest error of |λ|ⁿ', unit: DECADES },
  fractionInside: { words: 'share of eigenvalues with |λ| < 1', unit: '' },
  eigenShareOfDecay: { words: 'share of the decay the eigenvalues explain', unit: '' },
  decadesGained: { words: 'gradient gained over the run', unit: DECADES },
  decadesBelowLast: { words: 'early input gradient below the last', unit: DECADES },
  decadesBelowLastInput: { words: 'first input below the last', unit: DECADES },
  earlyShare: { words: "early steps' share of the update", unit: '' },
  horizonSteps: { words: 'gradient horizon', unit: 'steps' },
  gapDecades: { words: 'gap between first and last step', unit: DECADES },
  residualGapDecades: { words: 'residual cell: gap between first and last step', unit: DECADES },
  weightHhGradNorm: { words: '‖∂L/∂W_hh‖', unit: '' },
  hhOverIh: { words: '‖∂L/∂W_hh‖ / ‖∂L/∂W_ih‖', unit: '' },
  maxDeviationFrom1: { words: 'largest singular value off 1', unit: '' },
  maxDeviationOneStep: { words: 'largest norm change off 1', unit: '' },
  decadesLost: { words: 'gradient lost over the run', unit: DECADES },
  cellDecadesLost: { words: 'gradient lost along the cell path', unit: DECADES },
  'absDecadesPerStep orthogonal': { words: 'orthogonal W_hh: gradient change per step (either way)', unit: PER_STEP },
  layerNormMeanSlope: { words: 'layer-norm cell: mean tanh′', unit: '' },
  maxDiagonalMinusForgetGate: { words: 'largest diagonal − forget gate', unit: '' },
  solvedAt: { words: 'learned after', unit: 'updates' },
  slopeChange: { words: 'change in mean tanh′ over training', unit: '' },
  effectiveMemory: { words: 'effective memory', unit: 'steps of lag' },
  lossOverBaselineShort: { words: 'error at the shortest lag / baseline', unit: '' },
  largestOffOne: { words: 'largest singular value off 1 after training', unit: '' },
};

/** `decadesPerStep` → `decades per step`, `hhOverIh` → `hh over ih`: a name read aloud, for names the dictionary lacks. */
export function deCamel(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

/** Whether the dictionary has words for a key number (a claim's declared key number should be there: specs/cli/key-number.test.ts). */
export function hasKeyNumberWords(name: string): boolean {
  return Object.hasOwn(WORDS, name);
}

/** The words and unit of a key number; a name not in the dictionary reads de-camelCased, with no unit. */
export function keyNumberWords(name: string): KeyNumberWords {
  return Object.hasOwn(WORDS, name) ? WORDS[name] : { words: deCamel(name), unit: '' };
}

/** `gradient lost per step 0.279–0.415 decades`: the words, the value or range as given, the unit. */
export function keyNumberPhrase(name: string, value: string): string {
  const { words, unit } = keyNumberWords(name);
  // The unit follows the numbers, before a note on them (`300–7600 updates, none in 14/80`).
  const [span, ...note] = value.split(', ');
  return `${words} ${span}${unit && span !== '—' ? ` ${unit}` : ''}${note.map((n) => `, ${n}`).join('')}`;
}
