import { describe, expect, it } from 'vitest';
import { runRegion } from '../../src/engine/run-region.js';
import { type Claim, type RealDomain, type Region, expectedVerdict } from '../../src/engine/types.js';
import { regionRecord } from '../../src/report/region-record.js';
import { buildSummary } from '../../src/report/summary.js';

/**
 * Issue 22: a claim is decided where its premise holds. A case outside the premise is counted
 * apart, never as a refutation; a boundary probe is reported with its own verdict and never enters
 * the claim's; a premise region whose cases mostly miss the premise is an error naming it.
 */

/** "If x > 0 then x² > 0" over the reals, with the premise decided from the subject or measured. */
function claimOf(regions: Region<RealDomain>[], how: 'subject' | 'measured', kind: Claim['kind'] = 'empirical'): Claim<RealDomain> {
  return {
    id: 'TEST-PREMISE',
    section: 'The Core Problem',
    kind,
    statement: 'test',
    predicate: 'x² > 0 and x < 0.9',
    premise: how === 'subject' ? { text: 'x > 0', of: (x) => x > 0 } : { text: 'x > 0 (measured)' },
    regions,
    async evaluate(xs) {
      // Fails outside the premise (x ≤ 0: x² > 0 fails at 0 only, so every x ≤ 0 is made to fail) and above 0.9.
      return xs.map((x) => ({ holds: x > 0 && x < 0.9, numbers: { x }, ...(how === 'measured' ? { inPremise: x > 0 } : {}) }));
    },
  };
}
const region = (id: string, role: Region['role'], min: number, max: number, expected: Region['expected'] = 'holds'): Region<RealDomain> => ({
  id,
  description: id,
  domain: { kind: 'real', min, max },
  role,
  expected,
  runs: 200,
});

describe('the premise rule', () => {
  for (const how of ['subject', 'measured'] as const) {
    it(
      `should read a premise region's verdict from the cases inside the premise, counting the others apart ` +
        `(premise ${how === 'subject' ? 'from the subject' : 'measured'})`,
      async () => {
        const r = region('mostly-positive', 'premise', -0.3, 0.85);
        const result = await runRegion(claimOf([r], how), r, 5);
        const outside = result.cases.filter((c) => (c.subject as number) <= 0).length;
        expect(outside, 'the sample draws some x ≤ 0').toBeGreaterThan(0);
        expect(result.counts, 'every case inside the premise holds; the others are counted as outside').toEqual({
          holds: 200 - outside,
          fails: 0,
          broken: 0,
          outside,
        });
        expect(result.verdict, `verdict with ${outside} cases outside the premise`).toBe('holds');
        expect(result.premiseShare, 'share of cases meeting the premise').toBeCloseTo((200 - outside) / 200, 12);
        expect(
          result.cases.every((c) => c.evaluation.inPremise === (c.subject as number) > 0),
          'each case records whether it met the premise',
        ).toBe(true);
        expect(result.premiseError, 'a premise region with most cases inside is no error').toBeNull();
      },
    );
  }

  it('should never shrink to a counterexample outside the premise', async () => {
    // A universal claim, so one failing case inside the premise refutes it; the cases x ≤ 0 fail too, outside it.
    const r = region('crosses-0.9', 'premise', -0.2, 1, 'refuted');
    const result = await runRegion(claimOf([r], 'subject', 'theorem'), r, 9);
    expect(result.verdict, 'x ≥ 0.9 fails inside the premise').toBe('refuted');
    expect(result.counterexample?.subject as number, 'the smallest counterexample lies inside the premise (x > 0), at x ≥ 0.9').toBeGreaterThanOrEqual(0.9);
  });

  it('should make a premise region whose cases mostly miss the premise an error naming the claim and the region', async () => {
    const r = region('mostly-negative', 'premise', -1, -0.01);
    const result = await runRegion(claimOf([r], 'measured'), r, 3);
    expect(result.premiseError, 'error text').toMatch(/TEST-PREMISE \[mostly-negative\].*miss the claim's premise \(x > 0 \(measured\)\)/);
    expect(result.matches, 'a mis-stated region never matches its expectation').toBe(false);
  });

  it("should decide a boundary probe on every case, and keep it out of the claim's verdict", async () => {
    const premise = region('positive', 'premise', 0.01, 0.85);
    const probe = region('negative', 'boundary', -1, -0.01, 'refuted');
    const claim = claimOf([premise, probe], 'subject');
    const [p, b] = [await runRegion(claim, premise, 1), await runRegion(claim, probe, 2)];
    expect([b.verdict, b.counts.fails, b.counts.outside, b.premiseError], 'the probe: refuted on all 200 cases, all outside the premise, no error').toEqual([
      'refuted',
      200,
      200,
      null,
    ]);
    expect(expectedVerdict(claim), 'the expected claim verdict reads the premise region only').toBe('holds');
    const summary = buildSummary([claim], [], [regionRecord(claim, p, 'cpu'), regionRecord(claim, b, 'cpu')], 1);
    expect(summary.claims[0].measured, 'the measured claim verdict reads the premise region only').toBe('holds');
    expect(
      summary.claims[0].regions.map((r) => `${r.regionId}:${r.role}:${r.premiseShare}`),
      'records keep each role and premise share',
    ).toEqual(['positive:premise:1', 'negative:boundary:0']);
  });
});
