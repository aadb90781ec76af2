import { pinClaims } from './pin.js';
import { type Claim, type Domain, expectedVerdict } from './types.js';
import type { EngineOptions } from './options.js';

/** A region's name in the `regions` option, in test titles and in reports: `CLAIM-ID [region-id]`. */
export const regionName = (claimId: string, regionId: string): string => `${claimId} [${regionId}]`;

/** The claims a run takes: the options' filters (claim ids, regions, sections, expected verdicts), then the pinned fields. */
export function selectClaims(
  registered: readonly Claim<Domain>[],
  o: Pick<EngineOptions, 'claims' | 'sections' | 'verdicts' | 'pinned'> & Partial<Pick<EngineOptions, 'regions'>>,
): readonly Claim<Domain>[] {
  const regions = o.regions ?? [];
  const selected = registered.filter(
    (c) =>
      (o.claims.length === 0 || o.claims.includes(c.id)) &&
      (regions.length === 0 || c.regions.some((r) => regions.includes(regionName(c.id, r.id)))) &&
      (o.sections.length === 0 || o.sections.includes(c.section)) &&
      (o.verdicts.length === 0 || o.verdicts.includes(expectedVerdict(c))),
  );
  // `--config FILE`: its fields pinned in every model region; claims over other domains are left out.
  return o.pinned ? pinClaims(selected, o.pinned) : selected;
}

/** The regions a run measures for a claim: the `regions` filter, then `runs` resizes sampled regions; a training region always runs every listed seed. */
export function regionsToRun<D extends Domain>(claim: Claim<D>, o: Pick<EngineOptions, 'runs'> & Partial<Pick<EngineOptions, 'regions'>>): Claim<D>['regions'] {
  const regions = o.regions ?? [];
  return claim.regions
    .filter((r) => regions.length === 0 || regions.includes(regionName(claim.id, r.id)))
    .map((r) => (o.runs === null || r.domain.kind === 'training' ? r : { ...r, runs: o.runs }));
}
