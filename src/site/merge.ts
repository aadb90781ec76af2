import { type RegionVerdict, combine } from '../engine/types.js';
import { type ClaimSummary, type Summary, inDocumentOrder, keyNumberOf, premiseRegions } from '../report/summary.js';

/**
 * One summary from the summaries of several runs that measured disjoint regions (CI's shards: a
 * claim's training regions may sit in both): each claim's regions are pooled, and its verdict
 * combined again from its premise regions as `vg verify` combines it (engine/types.ts combine).
 * A region measured by two inputs is kept once, from the first. Totals are counted again.
 */
export function mergeSummaries(summaries: readonly Summary[]): Summary {
  const first = summaries[0];
  if (first === undefined) throw new Error('mergeSummaries: no summary');
  const byId = new Map<string, ClaimSummary>();
  for (const s of summaries) {
    for (const c of s.claims) {
      const seen = byId.get(c.id);
      if (!seen) {
        byId.set(c.id, c);
        continue;
      }
      const have = new Set(seen.regions.map((r) => r.regionId));
      const regions = [...seen.regions, ...c.regions.filter((r) => !have.has(r.regionId))];
      const merged = { ...seen, regions, measured: combine(premiseRegions(regions).map((r) => r.measured as RegionVerdict)) };
      byId.set(c.id, { ...merged, keyNumber: keyNumberOf(merged) });
    }
  }
  const claims = inDocumentOrder([...byId.values()]);
  const pending = [
    ...new Map(
      summaries
        .flatMap((s) => s.pending)
        .filter((p) => !byId.has(p.id))
        .map((p) => [p.id, p]),
    ).values(),
  ];
  const totals: Record<string, number> = { holds: 0, refuted: 0, conditional: 0, 'numerically-broken': 0, pending: pending.length };
  for (const c of claims) totals[c.measured] = (totals[c.measured] ?? 0) + 1;
  return {
    ...first,
    backends: [...new Set(summaries.flatMap((s) => s.backends))].sort(),
    totals,
    mismatches: [...new Set(summaries.flatMap((s) => s.mismatches))],
    unstable: [...new Set(summaries.flatMap((s) => s.unstable ?? []))],
    claims,
    pending,
  };
}
