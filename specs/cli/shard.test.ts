import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { planShards, trainingPlan } from '../../src/claims/training/plan.js';

/** `vg verify --shard i/N` splits the training runs by estimated cost: every (task, model) unit exactly once, loads balanced. */
describe('training plan shards', () => {
  for (const count of [1, 2, 3, 4]) {
    it(`should give every (task, model) unit of the full plan to exactly one of ${count} shard(s), the heaviest shard within one unit of the lightest`, () => {
      const full = trainingPlan('full', '');
      const shards = planShards(full, count);
      const keys = shards
        .flat()
        .map((u) => `${u.task}/${u.model}`)
        .sort();
      const units = full.tasks.flatMap((t) => t.models.map((m) => `${t.task}/${m}`)).sort();
      expect(
        keys,
        `units over all ${count} shards (${keys.length}) [${keys.join(', ')}] against the full plan's (${units.length}) [${units.join(', ')}]`,
      ).toEqual(units);
      const loads = shards.map((s) => s.reduce((n, u) => n + u.cost, 0));
      const largest = Math.max(...shards.flat().map((u) => u.cost));
      expect(Math.max(...loads) - Math.min(...loads), `loads ${loads.join(', ')} (largest unit ${largest})`).toBeLessThanOrEqual(largest);
      const plans = Array.from({ length: count }, (_, i) => trainingPlan('full', `${i + 1}/${count}`));
      const models = plans.flatMap((p) => p.tasks.flatMap((t) => t.models.map((m) => `${t.task}/${m}`))).sort();
      expect(models, `the ${count} shards' plans together (${models.length}) [${models.join(', ')}] against the full plan (${keys.length})`).toEqual(keys);
    });
  }

  it('should refuse a malformed shard with a ConfigError naming trainingShard', () => {
    for (const bad of ['0/2', '3/2', 'x', '1/']) expect(() => trainingPlan('full', bad), `shard "${bad}" should throw a ConfigError`).toThrow(ConfigError);
    for (const bad of ['0/2', '3/2', 'x', '1/'])
      expect(() => trainingPlan('full', bad), `shard "${bad}" should throw a message starting "trainingShard: "`).toThrow(/^trainingShard: /);
  });
});
