import fc from 'fast-check';
import type { RealDomain } from '../types.js';

/**
 * Finite doubles in [min, max] (no NaN, no infinities; −0 excluded so a counterexample at 0
 * reads as 0). Shrinks toward the value of smallest magnitude in the range.
 */
export function boundedReal(domain: RealDomain): fc.Arbitrary<number> {
  return fc.double({ min: domain.min, max: domain.max, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
}
