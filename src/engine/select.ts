import { pinClaims } from './pin.js';
import { type Claim, type Domain, expectedVerdict } from './types.js';
import type { EngineOptions } from './options.js';

/** The claims a run takes: the options' filters (claim ids, sections, expected verdicts), then the pinned fields. */
export function selectClaims(registered: readonly Claim<Domain>[], o: Pick<EngineOptions, 'claims' | 'sections' | 'verdicts' | 'pinned'>): readonly Claim<Domain>[] {
  const selected = registered.filter((c) => (o.claims.length === 0 || o.claims.includes(c.id)) && (o.sections.length === 0 || o.sections.includes(c.section)) && (o.verdicts.length === 0 || o.verdicts.includes(expectedVerdict(c))));
  // `--config FILE`: its fields pinned in every model region; claims over other domains are left out.
  return o.pinned ? pinClaims(selected, o.pinned) : selected;
}

/** The regions a run measures for a claim: `runs` resizes sampled regions; a training region always runs every listed seed. */
export function regionsToRun<D extends Domain>(claim: Claim<D>, o: Pick<EngineOptions, 'runs'>): Claim<D>['regions'] {
  return claim.regions.map((r) => (o.runs === null || r.domain.kind === 'training' ? r : { ...r, runs: o.runs }));
}
