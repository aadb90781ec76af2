/**
 * The fast-check arbitraries of the claims' domains, for specs and users' own properties.
 * They live in src/engine/arbitraries so the region runner can sample with them (nothing in
 * src/ imports this folder); this module is their entry for tests.
 */
export { boundedReal } from '../src/engine/arbitraries/bounded-real.js';
export { matrixSubject } from '../src/engine/arbitraries/matrix-subject.js';
export { modelConfig } from '../src/engine/arbitraries/model-config.js';
export { subjectOf, trainingSubjects } from '../src/engine/arbitraries/subject-of.js';
