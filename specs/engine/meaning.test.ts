import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClose } from '../../src/numerics/close.js';
import { compactMeaning, upperBoundNoneIn, verdictMeaning } from '../../src/report/meaning.js';

describe('what a verdict says about its region', () => {
  it('should bound a fraction never seen in n cases by 1 − 0.05^(1/n), just under the rule of three', () => {
    expect(isClose(upperBoundNoneIn(25), 0.1129, { atol: 1e-4, rtol: 0 }), `bound at n = 25: ${upperBoundNoneIn(25)} against 0.1129`).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (n) => {
        const b = upperBoundNoneIn(n);
        // The chance of 0 in n cases at fraction b is exactly 5%, and 3/n is the rule of three's bound from above.
        expect(isClose((1 - b) ** n, 0.05, { atol: 1e-9, rtol: 1e-9 }), `(1 − ${b})^${n} = ${(1 - b) ** n}, 0.05 expected`).toBe(true);
        expect(b <= 3 / n, `bound ${b} at n = ${n} above 3/n = ${3 / n}`).toBe(true);
      }),
    );
  });

  it('should say what each verdict implies under its rule, with the numbers', () => {
    const cases: [string, { holds: number; fails: number; broken: number }, 'universal' | 'share' | 'enumerated', string[]][] = [
      ['holds', { holds: 60, fails: 0, broken: 0 }, 'share', ['fails in 0 of 60', 'below 7.0%', '60, fail <7.0%']],
      ['holds', { holds: 100, fails: 1, broken: 0 }, 'share', ['fails in 1 of 101', 'exceptions are listed', '1/101 fail, <6.2%']],
      ['refuted', { holds: 0, fails: 75, broken: 0 }, 'share', ['holds in 0 of 75', '75, hold <5.7%']],
      ['refuted', { holds: 26, fails: 4, broken: 0 }, 'universal', ['4 counterexamples in 30', 'one refutes a theorem', '4/30 counterexamples']],
      ['holds', { holds: 30, fails: 0, broken: 0 }, 'universal', ['no counterexample in 30', '30, fail <']],
      ['mixed', { holds: 12, fails: 13, broken: 0 }, 'share', ['split', '12 of 25', '48%', '12/25, CI 30–67%']],
      ['undetermined', { holds: 17, fails: 183, broken: 0 }, 'share', ['undetermined', '17 of 200']],
      ['mixed', { holds: 2, fails: 3, broken: 0 }, 'enumerated', ['2 of 5 seeds', '2/5 seeds']],
    ];
    for (const [verdict, counts, rule, pieces] of cases) {
      const text = `${verdictMeaning(verdict, counts, rule)} | ${compactMeaning(verdict, counts, rule)}`;
      for (const piece of pieces)
        expect(text.includes(piece), `${verdict} ${JSON.stringify(counts)} (${rule}): "${text}" should contain "${piece}"`).toBe(true);
    }
  });
});
