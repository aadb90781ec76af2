import * as tf from '@tensorflow/tfjs';
import { gradientProfile, type GradientProfileOptions, type LayersGradientProfile } from '../api/layers-profile.js';
import { judge, seriesByDistance } from '../claims/judge.js';
import { type Claim, type ClaimKind, type Evaluation, type Expectation, type SeedDomain, UNCONDITIONAL, type UserSection } from '../engine/types.js';
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
}

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
  const [min, max] = spec.seeds ?? [1, 10_000];
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(spec.id ?? '')) throw new ConfigError('id', spec.id, 'letters, digits, ".", "_" or "-", starting with a letter or digit');
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || min > max) throw new ConfigError('seeds', spec.seeds, 'integers [min, max] with 0 ≤ min ≤ max');
  const runs = spec.runs ?? 10;
  if (!Number.isInteger(runs) || runs < 1 || runs > 10_000) throw new ConfigError('runs', runs, 'an integer from 1 to 10000');
  return {
    id: spec.id,
    section: spec.section ?? 'User: claims',
    kind: spec.kind ?? 'empirical',
    statement: spec.statement,
    predicate: spec.predicate,
    // A user's claim about their own model: every sampled seed is inside its scope.
    premise: { text: UNCONDITIONAL },
    regions: [{ id: 'seeds', description: `seeds ${min}–${max}, ${runs} sampled`, domain: { kind: 'seed', min, max }, role: 'premise', expected: spec.expected ?? 'holds', runs }],
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
          out.push(judge(holds, { seed, steps: profile.steps, decadesFirstToLast: profile.decadesFirstToLast ?? 'underflow', ...numbers }, [seriesByDistance('‖∂L/∂x_t‖', profile.log10)]));
        } finally {
          x?.dispose();
          model.dispose();
        }
      }
      return out;
    },
  };
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
    const near = p.byDistance[0], far = p.byDistance[distance];
    const lost = near === null || far === null ? null : near - far;
    return { holds: lost !== null && lost <= decades, numbers: { distance, decadesLost: lost ?? 'underflow', allowedDecades: decades } };
  };
}
