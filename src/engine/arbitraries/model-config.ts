import fc from 'fast-check';
import { makeConfig, type InitScheme, type ModelConfig } from '../../config/types.js';
import type { ModelDomain } from '../types.js';

/** Integers in [lo, hi]; a fixed value when lo = hi, so shrinking has nothing to do there. */
const intIn = ([lo, hi]: readonly [number, number]): fc.Arbitrary<number> => (lo === hi ? fc.constant(lo) : fc.integer({ min: lo, max: hi }));

/** Multiples of 0.01 in [lo, hi], shrinking toward lo (readable counterexamples: 0.13, not 0.1298…). */
const hundredthsIn = ([lo, hi]: readonly [number, number]): fc.Arbitrary<number> => intIn([Math.round(lo * 100), Math.round(hi * 100)]).map((k) => k / 100);

/** One of the listed values, shrinking toward the first. */
const oneOf = <T>(values: readonly T[] | undefined, fallback: T): fc.Arbitrary<T> =>
  values === undefined || values.length === 0 ? fc.constant(fallback) : fc.constantFrom(...values);

function recurrentInitOf(domain: ModelDomain, fallback: InitScheme): fc.Arbitrary<InitScheme> {
  if (domain.recurrentUniform) return hundredthsIn(domain.recurrentUniform).map((a): InitScheme => ({ kind: 'uniform', low: -a, high: a }));
  if (domain.recurrentNormal) return hundredthsIn(domain.recurrentNormal).map((std): InitScheme => ({ kind: 'normal', std }));
  return oneOf(domain.recurrentInits, fallback);
}

/**
 * Model configurations of a claim's domain: every axis the domain lists is sampled (sizes
 * and seeds as integers in their inclusive ranges, choices from their lists), every other
 * field is `base`'s (then the demo configuration's). Shrinks toward the smallest sizes,
 * the first listed choice and seed 1, so a counterexample is as small as the domain allows.
 */
export function modelConfig(domain: ModelDomain): fc.Arbitrary<ModelConfig> {
  const base = makeConfig(domain.base);
  return fc
    .record({
      architecture: oneOf(domain.architectures, base.architecture),
      activation: oneOf(domain.activations, base.activation),
      hiddenSize: intIn(domain.hiddenSize ?? [base.hiddenSize, base.hiddenSize]),
      inputSize: domain.inputSize === 'hidden' ? fc.constant(-1) : intIn(domain.inputSize ?? [base.inputSize, base.inputSize]),
      seqLength: intIn(domain.seqLength ?? [base.seqLength, base.seqLength]),
      recurrentInit: recurrentInitOf(domain, base.recurrentInit),
      inputInit: oneOf(domain.inputInits, base.inputInit),
      forgetBias: oneOf(domain.forgetBiases, base.forgetBias),
      recurrentActivation: oneOf(domain.recurrentActivations, base.recurrentActivation),
      seed: intIn(domain.seeds ?? [1, 10_000]),
    })
    .map(({ inputSize, ...axes }) => makeConfig({ ...domain.base, ...axes, inputSize: inputSize === -1 ? axes.hiddenSize : inputSize }));
}
