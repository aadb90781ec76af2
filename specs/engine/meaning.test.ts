import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClose } from '../../src/numerics/close.js';
import { compactMeaning, upperBoundNoneIn, verdictMeaning } from '../../src/report/meaning.js';

describe('what a verdict says about its region', () => {
  it('should bound a fraction never seen in n cases by 1 − 0.05^(1/n), just under the rule of three', () => {
    expect(isClose(upperBoundNoneIn(25), 0.1129, { atol: 1e-4, rtol: 0 }), `bound at n = 25: ${upperBoundNoneIn(25)} against 0.1129`).toBe(true);
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), (n) => {
      const b = upperBoundNoneIn(n);
      // The chance of 0 in n cases at fraction b is exactly 5%, and 3/n is the rule of three's bound from above.
      expect(isClose((1 - b) ** n, 0.05, { atol: 1e-9, rtol: 1e-9 }), `(1 − ${b})^${n} = ${(1 - b) ** n}, 0.05 expected`).toBe(true);
      expect(b <= 3 / n, `bound ${b} at n = ${n} above 3/n = ${3 / n}`).toBe(true);
    }));
  });

  it('should say what each verdict implies, with the numbers', () => {
    const cases: [string, { holds: number; fails: number; broken: number }, string[]][] = [
      ['holds', { holds: 25, fails: 0, broken: 0 }, ['no counterexample in 25', 'below 11%', '25, fail <11%']],
      ['refuted', { holds: 0, fails: 75, broken: 0 }, ['none of 75', 'below 3.9%', '75, hold <3.9%']],
      ['mixed', { holds: 12, fails: 13, broken: 0 }, ['12 of 25', '48%', '12/25, CI 30–67%']],
    ];
    for (const [verdict, counts, pieces] of cases) {
      const text = `${verdictMeaning(verdict, counts)} | ${compactMeaning(verdict, counts)}`;
      for (const piece of pieces) expect(text.includes(piece), `${verdict} ${JSON.stringify(counts)}: "${text}" should contain "${piece}"`).toBe(true);
    }
  });
});
