import type { ModelConfig } from '../config/types.js';
import type { Claim, Domain, ModelDomain, Region } from './types.js';

/** The sampled axes of a ModelDomain that pin each ModelConfig field (a pinned field stops being sampled). */
const AXES_OF: Partial<Record<keyof ModelConfig, ReadonlyArray<keyof ModelDomain>>> = {
  architecture: ['architectures'],
  activation: ['activations'],
  recurrentInit: ['recurrentInits', 'recurrentUniform', 'recurrentNormal'],
  inputInit: ['inputInits'],
  forgetBias: ['forgetBiases'],
  recurrentActivation: ['recurrentActivations'],
  hiddenSize: ['hiddenSize'],
  inputSize: ['inputSize'],
  seqLength: ['seqLength'],
  seed: ['seeds'],
};

/** A model domain with some fields fixed: they go into `base` and their axes are no longer sampled. */
export function pinDomain(domain: ModelDomain, pinned: Partial<ModelConfig>): ModelDomain {
  const base: Record<string, unknown> = { ...domain.base, ...pinned };
  const out: Record<string, unknown> = { ...domain, base };
  for (const key of Object.keys(pinned) as (keyof ModelConfig)[]) for (const axis of AXES_OF[key] ?? []) delete out[axis];
  // inputSize 'hidden' follows a sampled hidden size; a pinned hidden size without a pinned input size keeps D = H.
  if ('hiddenSize' in pinned && !('inputSize' in pinned) && domain.inputSize === 'hidden') base.inputSize = pinned.hiddenSize;
  if ('seed' in pinned) out.seeds = [pinned.seed, pinned.seed];
  return out as unknown as ModelDomain;
}

/**
 * The claims over model configurations, with the given fields pinned in every region (for
 * `vg verify --config FILE`): each region keeps its id, other axes and expectation, so a verdict
 * that differs from the registered one shows where the user's settings move the claim. Claims
 * with no model region (mathematical properties, training runs) are left out.
 */
export function pinClaims(claims: readonly Claim<Domain>[], pinned: Partial<ModelConfig>): Claim<Domain>[] {
  return claims
    .filter((c) => c.regions.some((r) => r.domain.kind === 'model'))
    .map((c) => ({
      ...c,
      regions: c.regions
        .filter((r) => r.domain.kind === 'model')
        .map(
          (r): Region<Domain> => ({
            ...r,
            description: `${r.description}; pinned by --config: ${JSON.stringify(pinned)}`,
            domain: pinDomain(r.domain as ModelDomain, pinned),
          }),
        ),
    }));
}
