import type fc from 'fast-check';
import type { Domain, SubjectOf } from '../src/claims/types.js';
import { boundedReal } from './boundedReal.js';
import { matrixSubject } from './matrixSubject.js';
import { modelConfig } from './modelConfig.js';

/** The arbitrary that samples a domain's subjects (model configurations, reals or matrix descriptions). */
export function subjectOf<D extends Domain>(domain: D): fc.Arbitrary<SubjectOf<D>> {
  switch (domain.kind) {
    case 'model':
      return modelConfig(domain) as unknown as fc.Arbitrary<SubjectOf<D>>;
    case 'real':
      return boundedReal(domain) as unknown as fc.Arbitrary<SubjectOf<D>>;
    case 'matrix':
      return matrixSubject(domain) as unknown as fc.Arbitrary<SubjectOf<D>>;
  }
}
