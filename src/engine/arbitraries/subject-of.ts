import fc from 'fast-check';
import type { Domain, SubjectOf, TrainingDomain, TrainingSubject } from '../types.js';
import { boundedReal } from './bounded-real.js';
import { matrixSubject } from './matrix-subject.js';
import { modelConfig } from './model-config.js';

/** Every subject of a training domain, one per seed, in the listed order. */
export function trainingSubjects(domain: TrainingDomain): TrainingSubject[] {
  return domain.seeds.map((seed) => ({ task: domain.task, model: domain.model, lags: domain.lags, seed }));
}

/** The arbitrary that samples a domain's subjects (model configurations, reals or matrix descriptions). */
export function subjectOf<D extends Domain>(domain: D): fc.Arbitrary<SubjectOf<D>> {
  switch (domain.kind) {
    case 'model':
      return modelConfig(domain) as unknown as fc.Arbitrary<SubjectOf<D>>;
    case 'real':
      return boundedReal(domain) as unknown as fc.Arbitrary<SubjectOf<D>>;
    case 'matrix':
      return matrixSubject(domain) as unknown as fc.Arbitrary<SubjectOf<D>>;
    case 'seed':
      return fc.record({ seed: fc.integer({ min: domain.min, max: domain.max }) }) as unknown as fc.Arbitrary<SubjectOf<D>>;
    case 'training':
      return fc.constantFrom(...trainingSubjects(domain)) as unknown as fc.Arbitrary<SubjectOf<D>>;
  }
}
