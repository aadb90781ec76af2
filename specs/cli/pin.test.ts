import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subjectOf } from '../../properties/index.js';
import { pinClaims } from '../../src/engine/pin.js';
import { CLAIMS } from '../../src/claims/registry.js';
import type { ModelDomain } from '../../src/engine/types.js';
import type { ModelConfig } from '../../src/config/types.js';

describe('vg verify --config: pinned fields in every model region', () => {
  it("should give every sampled configuration of every pinned region the file's fields, and keep region ids and expectations", () => {
    const pins: Array<Partial<ModelConfig>> = [
      { hiddenSize: 12 },
      { activation: 'relu', seqLength: 17 },
      { recurrentInit: { kind: 'orthogonal', gain: 1 }, seed: 5 },
    ];
    for (const pinned of pins) {
      const claims = pinClaims(CLAIMS, pinned);
      expect(claims.length, `claims with model regions pinned to ${JSON.stringify(pinned)}: ${claims.length}, some expected`).toBeGreaterThan(0);
      for (const claim of claims) {
        const original = CLAIMS.find((c) => c.id === claim.id)!;
        for (const region of claim.regions) {
          expect(region.domain.kind, `${claim.id} [${region.id}]: domain kind "${region.domain.kind}" against "model"`).toBe('model');
          const before = original.regions.find((r) => r.id === region.id)?.expected;
          expect(before, `${claim.id} [${region.id}]: expectation before pinning ${before} against after ${region.expected}`).toBe(region.expected);
          for (const config of fc.sample(subjectOf(region.domain as ModelDomain), { seed: 1, numRuns: 5 }) as ModelConfig[]) {
            for (const [key, value] of Object.entries(pinned)) {
              const sampled = config[key as keyof ModelConfig];
              expect(sampled, `${claim.id} [${region.id}] ${key}: sampled ${JSON.stringify(sampled)} against pinned ${JSON.stringify(value)}`).toEqual(value);
            }
          }
        }
      }
    }
  });

  it('should leave out claims without model regions', () => {
    const ids = pinClaims(CLAIMS, { hiddenSize: 8 }).map((c) => c.id);
    for (const id of ['VG-TANH-DERIV', 'VG-CORE-NO-LONG-LEARNING'])
      expect(ids, `${id} (no model region) among the pinned claims [${ids.join(', ')}]`).not.toContain(id);
  });
});
