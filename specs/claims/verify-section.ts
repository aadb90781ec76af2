import * as allure from 'allure-js-commons';
import { describe, expect, it } from 'vitest';
import { claimsOf } from '../../src/claims/registry.js';
import type { Section } from '../../src/engine/types.js';
import { verifyClaims } from '../../src/testing/vitest.js';

export { selectedClaims, verifyClaims } from '../../src/testing/vitest.js';

/**
 * One test per (claim, region) of a document section: run the region's property, report the
 * evidence to Allure and to reports/evidence, and pass when the measured verdict is the
 * registered expectation.
 */
export function verifySection(section: Section): void {
  const registered = claimsOf(section);
  describe(section, () => {
    it('should register at least one claim for this section', async () => {
      await allure.epic(section);
      expect(registered.length, `no claim registered for section "${section}"`).toBeGreaterThan(0);
    });
    it("should name the source file of every claim, for the README's links", () => {
      const missing = registered.filter((c) => !/^src\/claims\/sections\/[\w/-]+\.ts$/.test(c.source ?? '')).map((c) => `${c.id}: ${c.source}`);
      expect(missing, `claims of "${section}" without a source under src/claims/sections/`).toEqual([]);
    });
    it('should decide every claim on at least one premise region (issue 22: boundary probes never decide a claim)', () => {
      const none = registered.filter((c) => !c.regions.some((r) => r.role === 'premise')).map((c) => c.id);
      expect(none, `claims of "${section}" with no premise region`).toEqual([]);
    });
    verifyClaims(registered);
  });
}
