import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { modelSpec, taskConfig } from '../../src/experiments/models.js';
import { kernelRunner, tfjsRunner } from '../../src/experiments/runners.js';
import { evalBatch, recallTask, trainStream } from '../../src/experiments/tasks.js';
import { buildTrainable } from '../../src/experiments/trainable.js';

/**
 * The two engines behind trainModels: what weights() reads must not depend on what was called
 * before it. The tfjs engine updates every model together, frozen ones too, and puts a frozen
 * model's weights back before each evaluation; weights() once relied on that having just happened.
 */

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

beforeAll(async () => {
  await resolveBackend();
});

describe('training engines (runners.ts)', () => {
  for (const engine of ['tfjs', 'kernel'] as const) {
    it(`should read a frozen model's weights as they were when it froze, before and after an evaluation, on the ${engine} engine`, async () => {
      // Arrange: two models, one update, model 0 frozen, three more updates of model 1 only.
      const task = recallTask(2);
      const configs = [1, 2].map((seed) => taskConfig(modelSpec('rnn-orthogonal'), task, 6, seed));
      const budget = { steps: 10, batchSize: 4, learningRate: 1e-2, hiddenSize: 6 };
      const model = buildTrainable(configs, task.outputSize);
      const runner = engine === 'tfjs' ? tfjsRunner(model, task, budget) : kernelRunner(model, task, budget);
      const streams = configs.map((c) => trainStream(task, c.seed));
      const sets = configs.map((c) => evalBatch(task, c.seed, 8));
      const batches = () => streams.map((r) => task.sample(r, budget.batchSize));
      try {
        await runner.update(batches(), false, [true, true]);
        runner.freeze(0);
        const atFreeze = runner.weights();
        for (let s = 0; s < 3; s++) await runner.update(batches(), false, [false, true]);
        // Act: read with no evaluation since the freeze, then after one.
        const unevaluated = runner.weights();
        await runner.evaluate(sets, sets);
        const evaluated = runner.weights();
        // Assert
        let moved = 0;
        for (const [name, frozen] of atFreeze) {
          const n = frozen.length / configs.length;
          const now = unevaluated.get(name)!;
          expect(
            bits(now.subarray(0, n)),
            `${engine}: frozen model 0's ${name} read with no evaluation since its freeze: ` +
              `[${now.subarray(0, n).join(', ')}] against [${frozen.subarray(0, n).join(', ')}] at its freeze`,
          ).toEqual(bits(frozen.subarray(0, n)));
          expect(bits(evaluated.get(name)!), `${engine}: ${name} read after an evaluation against before it`).toEqual(bits(now));
          if (bits(now.subarray(n)).some((b, i) => b !== bits(frozen.subarray(n))[i])) moved++;
        }
        expect(moved, `${engine}: tensors of model 1 (still training) changed by its three updates after the freeze`).toBeGreaterThan(0);
      } finally {
        runner.dispose();
      }
    });
  }
});
