import { type GridCell, type GridSpec, runGrid } from './grid.js';
import type { ModelSpec } from './models.js';

/** A lag counts as learned when at least this many seeds learned it (2 of the 3 seeds used). */
export const SEED_QUORUM = 2;

export interface LagVerdict {
  readonly lag: number;
  readonly learnedSeeds: number;
  readonly seeds: number;
  /** learnedSeeds ≥ quorum. */
  readonly learned: boolean;
}

export interface EffectiveMemory {
  /**
   * The largest lag L in the list such that every listed lag ≤ L was learned by at least
   * `quorum` seeds; 0 when the smallest listed lag was not. ("Learned" for one seed: final eval
   * loss ≤ LEARNED_MARGIN × the task's baseline, see tasks.ts.)
   */
  readonly effectiveLag: number;
  readonly quorum: number;
  readonly verdicts: readonly LagVerdict[];
  /** Lags above effectiveLag that were nevertheless learned (a non-monotone result, worth a look). */
  readonly learnedAbove: readonly number[];
}

/** Effective memory from per-seed outcomes; lags are sorted ascending. */
export function effectiveMemory(outcomes: ReadonlyArray<{ readonly lag: number; readonly learned: boolean }>, quorum = SEED_QUORUM): EffectiveMemory {
  if (!Number.isInteger(quorum) || quorum < 1) throw new RangeError(`effectiveMemory: quorum should be an integer ≥ 1, got ${quorum}`);
  const byLag = new Map<number, boolean[]>();
  for (const o of outcomes) byLag.set(o.lag, [...(byLag.get(o.lag) ?? []), o.learned]);
  const verdicts = [...byLag.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([lag, seeds]) => {
      const learnedSeeds = seeds.filter(Boolean).length;
      return { lag, learnedSeeds, seeds: seeds.length, learned: learnedSeeds >= quorum };
    });
  let effectiveLag = 0;
  for (const v of verdicts) {
    if (!v.learned) break;
    effectiveLag = v.lag;
  }
  const learnedAbove = verdicts.filter((v) => v.learned && v.lag > effectiveLag).map((v) => v.lag);
  return { effectiveLag, quorum, verdicts, learnedAbove };
}

/** Effective memory of each model of a finished grid. */
export function effectiveMemoryByModel(cells: readonly GridCell[], quorum = SEED_QUORUM): Map<string, EffectiveMemory> {
  const out = new Map<string, EffectiveMemory>();
  for (const model of new Set(cells.map((c) => c.model))) {
    out.set(
      model,
      effectiveMemory(
        cells.filter((c) => c.model === model).map((c) => ({ lag: c.lag, learned: c.run.learned })),
        quorum,
      ),
    );
  }
  return out;
}

/** Trains one model family at every lag and seed (one budget) and returns its effective memory. */
export async function measureEffectiveMemory(
  model: ModelSpec,
  spec: Omit<GridSpec, 'models'>,
  quorum = SEED_QUORUM,
): Promise<EffectiveMemory & { readonly cells: readonly GridCell[] }> {
  const cells = await runGrid({ ...spec, models: [model] });
  return {
    ...effectiveMemory(
      cells.map((c) => ({ lag: c.lag, learned: c.run.learned })),
      quorum,
    ),
    cells,
  };
}
