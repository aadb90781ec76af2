import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kernelsRun } from '../../src/backend/usage.js';
import { resolveBackend } from '../../src/backend/resolve.js';
import { CLAIMS } from '../../src/claims/registry.js';
import { DEFAULT_ENGINE_OPTIONS } from '../../src/engine/options.js';
import { RunCache } from '../../src/engine/run-cache.js';
import { regionName, regionsToRun, selectClaims } from '../../src/engine/select.js';

/**
 * What a region's measurement asks of the tfjs backend (src/backend/usage.ts, RunCache.track):
 * npm test re-runs on tfjs-node only the regions whose measurement involved the backend, so the
 * count must see every arithmetic kernel, and a cache hit must not hide one.
 */

beforeAll(async () => {
  await resolveBackend();
});

describe(`backend use of a measurement (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  it('should count arithmetic kernels, and not the kernels that only move values', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const start = kernelsRun();
    tf.tidy(() => tf.reshape(tf.slice(x, [0, 0], [1, 2]), [2]));
    const moves = kernelsRun() - start;
    tf.tidy(() => tf.add(x, x).sum());
    const arithmetic = kernelsRun() - start - moves;
    x.dispose();
    expect(moves, `kernels counted for a slice and a reshape: ${moves}`).toBe(0);
    expect(arithmetic, `kernels counted for an add and a sum: ${arithmetic}`).toBe(2);
  });

  it('should say a region used the backend when it ran kernels, or read an entry measured with them', async () => {
    const cache = new RunCache();
    const scope = () => cache.scope<number>('test/measure');
    // Arrange: one entry measured with tfjs, one computed in plain TypeScript, both after a missed lookup.
    const measured = await cache.track(async () => {
      const s = scope();
      if (s.get('tfjs') === undefined)
        s.set(
          'tfjs',
          tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]),
        );
      if (s.get('plain') === undefined) s.set('plain', 1 + 2);
      return 0;
    });
    // Act: later regions that only read the cache.
    const readsTfjs = await cache.track(async () => scope().get('tfjs'));
    const readsPlain = await cache.track(async () => scope().get('plain'));
    // Assert
    expect(measured.use, `the measuring region: ${JSON.stringify(measured.use)}`).toEqual({ kernels: 1, derivedReads: 0 });
    expect(readsTfjs.use, `a region reading the tfjs entry (value ${readsTfjs.value}): ${JSON.stringify(readsTfjs.use)}`).toEqual({
      kernels: 0,
      derivedReads: 1,
    });
    expect(readsPlain.use, `a region reading the plain entry (value ${readsPlain.value}): ${JSON.stringify(readsPlain.use)}`).toEqual({
      kernels: 0,
      derivedReads: 0,
    });
    await expect(
      cache.track(() => cache.track(async () => 0)),
      'a region inside a region',
    ).rejects.toThrow(/already being tracked/);
  });

  it('should select regions by name, CLAIM-ID [region-id], and keep the claims that hold one', () => {
    const wanted = regionName('VG-GAMMA-COMMON', 'orthogonal');
    const options = { ...DEFAULT_ENGINE_OPTIONS, regions: [wanted] };
    const claims = selectClaims(CLAIMS, options);
    expect(
      claims.map((c) => c.id),
      `claims selected by ${wanted}`,
    ).toEqual(['VG-GAMMA-COMMON']);
    expect(
      regionsToRun(claims[0], options).map((r) => regionName(claims[0].id, r.id)),
      'regions to run',
    ).toEqual([wanted]);
  });
});
