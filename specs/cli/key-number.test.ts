import { describe, expect, it } from 'vitest';
import { claimsForPlan } from '../../src/claims/registry.js';
import { trainingPlan } from '../../src/claims/training/plan.js';
import { runRegion } from '../../src/engine/run-region.js';
import { MODEL_CLAIM_KEY_NUMBER, modelClaim } from '../../src/testing/claims.js';
import type { Claim, Domain, Evaluation, RealDomain, Region } from '../../src/engine/types.js';
import { hasKeyNumberWords, keyNumberWords } from '../../src/report/key-words.js';
import { regionRecord } from '../../src/report/region-record.js';
import { buildSummary, summaryMarkdown } from '../../src/report/summary.js';

/**
 * Issue 26: a claim declares the number it is judged by (name, unit, claimed range) as typed
 * fields. What is published (claims.json's keyNumber, CLAIMS.md's key number column) comes from
 * that declaration, never from the predicate's English or from the order of the numbers an
 * evaluation passes to judge().
 */

const registry = claimsForPlan(trainingPlan('reduced'));

describe('the key number a claim declares', () => {
  it('should be declared by every registered claim, with the unit and words report/key-words.ts gives it', () => {
    const undeclared = registry.filter((c) => c.keyNumber === undefined).map((c) => c.id);
    expect(undeclared, 'registered claims without a keyNumber declaration').toEqual([]);
    const inconsistent = registry
      .filter((c) => c.keyNumber && c.keyNumber.unit !== keyNumberWords(c.keyNumber.name).unit)
      .map((c) => `${c.id}: ${c.keyNumber!.name} in "${c.keyNumber!.unit}", key-words.ts says "${keyNumberWords(c.keyNumber!.name).unit}"`);
    expect(inconsistent, 'declared units that differ from key-words.ts').toEqual([]);
    const unworded = registry.filter((c) => c.keyNumber && !hasKeyNumberWords(c.keyNumber.name)).map((c) => `${c.id}: ${c.keyNumber!.name}`);
    expect(unworded, 'declared key numbers key-words.ts has no words for').toEqual([]);
  });

  it('should state a claimed range as an ordered pair wherever a claim states one', () => {
    const claimed = registry.filter((c) => c.keyNumber?.claimed).map((c) => `${c.id} ${c.keyNumber!.name} ${c.keyNumber!.claimed!.join('–')}`);
    expect(claimed, 'claims that declare a claimed range').toEqual([
      'VG-CONSEQ-SHORT-MEMORY horizonSteps 10–20',
      'VG-DEMO-GAP gapDecades 6–10',
      'VG-CONSEQ-MEMORY-TRAINED effectiveMemory 10–20',
    ]);
    for (const c of registry)
      if (c.keyNumber?.claimed) expect(c.keyNumber.claimed[0] <= c.keyNumber.claimed[1], `${c.id}: claimed ${c.keyNumber.claimed.join(', ')}`).toBe(true);
  });
});

/** A registered claim's statement and declaration, over reals, with its predicate and the order of its numbers chosen by the test. */
function variant(base: Claim<Domain>, predicate: string, order: 'key first' | 'key last', declared = true): Claim<RealDomain> {
  const region: Region<RealDomain> = {
    id: 'reals',
    description: 'x in [1, 2]',
    domain: { kind: 'real', min: 1, max: 2 },
    role: 'premise',
    expected: 'holds',
    runs: 30,
  };
  const { keyNumber, ...rest } = base;
  return {
    ...rest,
    ...(declared ? { keyNumber } : {}),
    predicate,
    premise: { text: 'unconditional' },
    regions: [region],
    async evaluate(xs) {
      return xs.map((x): Evaluation => {
        const gap = 6 + 2 * x,
          perStep = x / 10;
        // The same numbers, their fields in either order.
        const numbers = order === 'key first' ? { gapDecades: gap, decadesPerStep: perStep } : { decadesPerStep: perStep, gapDecades: gap };
        return { holds: gap >= 6 && gap <= 10, numbers };
      });
    },
  };
}

/** What a run of a claim publishes: claims.json's keyNumber and CLAIMS.md's key number column. */
async function published(claim: Claim<RealDomain>): Promise<{ keyNumber: unknown; row: string }> {
  const result = await runRegion(claim, claim.regions[0], 7);
  const summary = buildSummary([claim as unknown as Claim<Domain>], [], [regionRecord(claim, result, 'cpu')], 7);
  const row =
    summaryMarkdown(summary)
      .split('\n')
      .find((l) => l.startsWith(`| ${claim.statement}`)) ?? '';
  return { keyNumber: summary.claims[0].keyNumber, row };
}

describe('published key numbers', () => {
  const gap = registry.find((c) => c.id === 'VG-DEMO-GAP')!;
  const asWritten = gap.predicate;
  const reworded = 'The gap between the gradient at the first step and at the last, in decades, is between six and ten.';

  it('should not change when the predicate is reworded and the fields passed to judge() are reordered', async () => {
    const before = await published(variant(gap, asWritten, 'key first'));
    const after = await published(variant(gap, reworded, 'key last'));
    expect(before.keyNumber, 'VG-DEMO-GAP as written: keyNumber').toMatchObject({ name: 'gapDecades', claimed: [6, 10] });
    expect(after.keyNumber, 'claims.json keyNumber after rewording the predicate and reordering the numbers').toEqual(before.keyNumber);
    expect(after.row, 'CLAIMS.md key number column after rewording and reordering').toBe(before.row);
    expect(before.row, 'CLAIMS.md row names the key number in words with the claimed range').toMatch(
      /gap between first and last step [\d.]+–[\d.]+ decades \(claimed 6–10\)/,
    );
  });

  it('should fall back, for a claim that declares none, to the first number its evaluation reports, with no claimed range', async () => {
    const first = await published(variant(gap, asWritten, 'key first', false));
    const last = await published(variant(gap, asWritten, 'key last', false));
    expect(first.keyNumber, 'undeclared, gapDecades reported first').toMatchObject({ name: 'gapDecades', claimed: null });
    expect(last.keyNumber, 'undeclared, decadesPerStep reported first: the fallback follows the order (declare keyNumber to fix it)').toMatchObject({
      name: 'decadesPerStep',
      claimed: null,
    });
  });
});

describe("a user's model claim", () => {
  const spec = {
    id: 'MY-CLAIM',
    statement: 's',
    predicate: 'p',
    build: () => {
      throw new Error('not built');
    },
    input: () => {
      throw new Error('not built');
    },
    check: () => true,
  };

  it('should publish decadesLost in decades unless it declares its own key number', () => {
    expect(modelClaim(spec).keyNumber, 'default key number of modelClaim').toEqual(MODEL_CLAIM_KEY_NUMBER);
    expect(modelClaim({ ...spec, keyNumber: { name: 'allowedDecades', unit: 'decades', claimed: [0, 3] } }).keyNumber, 'declared key number').toEqual({
      name: 'allowedDecades',
      unit: 'decades',
      claimed: [0, 3],
    });
  });

  it('should refuse a key number without a name or with a claimed range out of order, naming the field', () => {
    expect(() => modelClaim({ ...spec, keyNumber: { name: '', unit: '' } }), 'empty name').toThrow(/MY-CLAIM\.keyNumber/);
    expect(() => modelClaim({ ...spec, keyNumber: { name: 'x', unit: '', claimed: [3, 1] } }), 'claimed [3, 1]').toThrow(/MY-CLAIM\.keyNumber\.claimed/);
  });
});
