import * as tf from '@tensorflow/tfjs';
import { gradientProfile, type GradientProfileOptions, type LayersGradientProfile } from '../api/layers-profile.js';
import { judge, seriesByDistance } from '../claims/judge.js';
import {
  type Claim,
  type ClaimKind,
  type Evaluation,
  type Expectation,
  type KeyNumberDeclaration,
  type SeedDomain,
  UNCONDITIONAL,
  type UserSection,
} from '../engine/types.js';
import { ConfigError } from '../config/errors.js';

/** What a user's check of one profile returns: a decision, or a decision with the numbers behind it. */
export type ProfileCheck = (profile: LayersGradientProfile) => boolean | { readonly holds: boolean; readonly numbers: Evaluation['numbers'] };

/** A claim about a user's own tfjs model, built from a seed; each sampled seed is a case. */
export interface ModelClaimSpec {
  /** Stable id, e.g. "MY-LSTM-KEEPS-100". */
  readonly id: string;
  /** The claim in words, for the report. */
  readonly statement: string;
  /** How `check` decides, in one sentence with its tolerance. */
  readonly predicate: string;
  /** Report group (Allure epic); default "User: claims". */
  readonly section?: UserSection;
  readonly kind?: ClaimKind;
  /** Builds the model for a seed (use the seed in its initializers). The claim disposes it. */
  readonly build: (seed: number) => tf.LayersModel;
  /** The input sequence [batch, T, features] for a seed. The claim disposes it. */
  readonly input: (seed: number) => tf.Tensor;
  readonly check: ProfileCheck;
  /** Seeds sampled from [min, max] (default [1, 10000]). */
  readonly seeds?: readonly [number, number];
  /** Sampled seeds (default 10). */
  readonly runs?: number;
  /** The verdict you expect over the seeds (default holds). */
  readonly expected?: Expectation;
  readonly loss?: GradientProfileOptions['loss'];
  /**
   * The number the claim is judged by, published as its key number (with the range you claim for
   * it, if any). Default: `decadesLost` in decades (the profile's loss from the last step to the
   * first, or the one `withinDecades` reports). A claim built by hand without `modelClaim` that
   * declares none gets the first number its evaluation reports (report/region-record.ts keyNumberName).
   */
  readonly keyNumber?: KeyNumberDeclaration;
}

/** The key number of a model claim that declares none: the gradient's loss over the profile, in decades. */
export const MODEL_CLAIM_KEY_NUMBER: KeyNumberDeclaration = { name: 'decadesLost', unit: 'decades' };

/**
 * A claim about your own LayersModel, decided on its temporal gradient profile for seeds that
 * fast-check samples (and shrinks, when the check fails, to the smallest failing seed). Run it
 * with `verifyClaims([claim])` from `vanishing-gradients-verify/testing/vitest` in a vitest suite;
 * with allure-vitest as a reporter it shows up in the Allure report like the project's claims.
 *
 * @example
 * const claim = modelClaim({
 *   id: 'MY-LSTM-KEEPS-100', statement: 'My LSTM keeps the gradient at distance 100 within 10^3 of distance 0.',
 *   predicate: 'log10‖∂L/∂x‖ at distance 0 minus at distance 100 ≤ 3',
 *   build: (seed) => myLstm(seed), input: (seed) => tf.randomNormal([4, 101, 8], 0, 1, 'float32', seed),
 *   check: withinDecades(100, 3),
 * });
 */
export function modelClaim(spec: ModelClaimSpec): Claim<SeedDomain> {
  const { min, max, runs, expected } = checkSpec(spec);
  return {
    id: spec.id,
    section: spec.section ?? 'User: claims',
    kind: spec.kind ?? 'empirical',
    statement: spec.statement,
    predicate: spec.predicate,
    keyNumber: spec.keyNumber ?? MODEL_CLAIM_KEY_NUMBER,
    // A user's claim about their own model: every sampled seed is inside its scope.
    premise: { text: UNCONDITIONAL },
    regions: [{ id: 'seeds', description: `seeds ${min}–${max}, ${runs} sampled`, domain: { kind: 'seed', min, max }, role: 'premise', expected, runs }],
    plot: { title: 'Temporal gradient profile', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂x_t‖' },
    async evaluate(subjects) {
      const out: Evaluation[] = [];
      for (const { seed } of subjects) {
        // tf.tidy releases what building leaves behind (tfjs's LSTM initializers leave intermediate
        // tensors); the weights are variables, which tidy keeps.
        let model!: tf.LayersModel;
        tf.tidy(() => {
          model = spec.build(seed);
        });
        let x: tf.Tensor | undefined;
        try {
          x = spec.input(seed);
          const profile = await gradientProfile(model, x, { loss: spec.loss });
          const decided = spec.check(profile);
          const { holds, numbers } = typeof decided === 'boolean' ? { holds: decided, numbers: {} } : decided;
          out.push(
            judge(holds, { modelSeed: seed, steps: profile.steps, decadesLost: profile.decadesLost ?? 'underflow', ...numbers }, [
              seriesByDistance('‖∂L/∂x_t‖', profile.log10),
            ]),
          );
        } finally {
          x?.dispose();
          model.dispose();
        }
      }
      return out;
    },
  };
}

/** The verdicts a model claim can expect over its seeds: a split needs a band of holding fractions, which a model claim does not take. */
export const MODEL_CLAIM_EXPECTATIONS = ['holds', 'refuted'] as const satisfies readonly Expectation[];
const KINDS: readonly ClaimKind[] = ['theorem', 'empirical', 'recommendation', 'code'];

/**
 * Checks a spec when modelClaim is called, so a mistake fails where the claim is written and not
 * when its test runs: every problem is a ConfigError naming the field, the value and what is allowed.
 */
function checkSpec(spec: ModelClaimSpec): { min: number; max: number; runs: number; expected: Expectation } {
  if (spec === null || typeof spec !== 'object') throw new ConfigError('modelClaim', spec, 'an object { id, statement, predicate, build, input, check, … }');
  if (typeof spec.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(spec.id))
    throw new ConfigError('id', spec.id, 'letters, digits, ".", "_" or "-", starting with a letter or digit');
  const where = (field: string): string => `${spec.id}.${field}`;
  const k = spec.keyNumber;
  if (k !== undefined) {
    if (typeof k?.name !== 'string' || k.name === '' || typeof k.unit !== 'string')
      throw new ConfigError(where('keyNumber'), k, "{ name: a non-empty string, unit: a string ('' for none), claimed?: [low, high] }");
    if (k.claimed !== undefined && !(Array.isArray(k.claimed) && k.claimed.length === 2 && k.claimed.every(Number.isFinite) && k.claimed[0] <= k.claimed[1]))
      throw new ConfigError(where('keyNumber.claimed'), k.claimed, 'two finite numbers, low ≤ high');
  }
  for (const field of ['statement', 'predicate'] as const) {
    if (typeof spec[field] !== 'string' || spec[field].trim() === '') throw new ConfigError(where(field), spec[field], 'a non-empty string');
  }
  for (const field of ['build', 'input', 'check'] as const) {
    if (typeof spec[field] !== 'function')
      throw new ConfigError(
        where(field),
        spec[field],
        field === 'check' ? 'a function of the profile (withinDecades(distance, decades), or your own)' : 'a function of the seed',
      );
  }
  if (spec.loss !== undefined && typeof spec.loss !== 'function')
    throw new ConfigError(where('loss'), spec.loss, "a function from the model's output to a scalar tf.Tensor, or undefined");
  if (spec.section !== undefined && !(typeof spec.section === 'string' && spec.section.startsWith('User: ')))
    throw new ConfigError(where('section'), spec.section, '"User: " and a name, e.g. "User: my models"');
  if (spec.kind !== undefined && !KINDS.includes(spec.kind)) throw new ConfigError(where('kind'), spec.kind, `one of ${KINDS.join(', ')}`);
  const expected = spec.expected ?? 'holds';
  if (!(MODEL_CLAIM_EXPECTATIONS as readonly unknown[]).includes(expected))
    throw new ConfigError(where('expected'), spec.expected, `one of ${MODEL_CLAIM_EXPECTATIONS.join(', ')}`);
  const seeds = spec.seeds ?? [1, 10_000];
  const [min, max] = Array.isArray(seeds) ? seeds : [NaN, NaN];
  if (!Array.isArray(seeds) || seeds.length !== 2 || !Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || min > max)
    throw new ConfigError(where('seeds'), spec.seeds, 'integers [min, max] with 0 ≤ min ≤ max');
  const runs = spec.runs ?? 10;
  if (!Number.isInteger(runs) || runs < 1 || runs > 10_000) throw new ConfigError(where('runs'), runs, 'an integer from 1 to 10000');
  return { min, max, runs, expected };
}

/**
 * A check: the gradient at `distance` steps before the last is within `decades` decades of the
 * gradient at the last step (log10‖∂L/∂x_{T−1}‖ − log10‖∂L/∂x_{T−1−distance}‖ ≤ decades); an
 * underflow at either end fails it.
 */
export function withinDecades(distance: number, decades: number): ProfileCheck {
  if (!Number.isInteger(distance) || distance < 1) throw new ConfigError('distance', distance, 'an integer ≥ 1');
  if (!(decades >= 0) || !Number.isFinite(decades)) throw new ConfigError('decades', decades, 'a finite number ≥ 0');
  return (p) => {
    if (distance > p.steps - 1) throw new ConfigError('distance', distance, `at most T − 1 = ${p.steps - 1} for this input`);
    const near = p.byDistance[0],
      far = p.byDistance[distance];
    const lost = near === null || far === null ? null : near - far;
    return { holds: lost !== null && lost <= decades, numbers: { distance, decadesLost: lost ?? 'underflow', allowedDecades: decades } };
  };
}
