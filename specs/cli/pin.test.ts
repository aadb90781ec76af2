import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subjectOf } from '../../properties/index.js';
import { pinClaims } from '../../src/claims/pin.js';
import { CLAIMS } from '../../src/claims/registry.js';
import type { ModelDomain } from '../../src/claims/types.js';
import type { ModelConfig } from '../../src/config/types.js';

describe('vg verify --config: pinned fields in every model region', () => {
  it('should give every sampled configuration of every pinned region the file\'s fields, and keep region ids and expectations', () => {
    const pins: Array<Partial<ModelConfig>> = [{ hiddenSize: 12 }, { activation: 'relu', seqLength: 17 }, { recurrentInit: { kind: 'orthogonal', gain: 1 }, seed: 5 }];
    for (const pinned of pins) {
      const claims = pinClaims(CLAIMS, pinned);
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) {
        const original = CLAIMS.find((c) => c.id === claim.id)!;
        for (const region of claim.regions) {
          expect(region.domain.kind).toBe('model');
          expect(original.regions.find((r) => r.id === region.id)?.expected, `${claim.id} [${region.id}]`).toBe(region.expected);
          for (const config of fc.sample(subjectOf(region.domain as ModelDomain), { seed: 1, numRuns: 5 }) as ModelConfig[]) {
            for (const [key, value] of Object.entries(pinned)) expect(config[key as keyof ModelConfig], `${claim.id} [${region.id}] ${key}`).toEqual(value);
          }
        }
      }
    }
  });

  it('should leave out claims without model regions', () => {
    const ids = pinClaims(CLAIMS, { hiddenSize: 8 }).map((c) => c.id);
    expect(ids).not.toContain('VG-TANH-DERIV');
    expect(ids).not.toContain('VG-CORE-NO-LONG-LEARNING');
  });
});
