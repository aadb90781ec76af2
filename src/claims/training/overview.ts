import { effectiveMemory, SEED_QUORUM } from '../../experiments/effective-memory.js';
import type { GridCell } from '../../experiments/grid.js';

/** Effective memory of one model on one task: with the seed quorum, and per seed. */
export interface MemoryRow {
  readonly task: string;
  readonly model: string;
  readonly lags: readonly number[];
  /** Largest planned lag L with every planned lag ≤ L learned by ≥ SEED_QUORUM seeds (0: not even the shortest). */
  readonly quorumMemory: number;
  readonly perSeed: ReadonlyArray<{ readonly seed: number; readonly memory: number }>;
}

/** How two detectors' flags line up with the runs that did not learn their task. */
export interface DetectorRow {
  readonly model: string;
  readonly runs: number;
  readonly notLearned: number;
  /** The document's threshold on ‖∇W_hh‖ fired at some update. */
  readonly documentFired: number;
  /** Runs where the document's flag equals "did not learn". */
  readonly documentAgrees: number;
  /** The profile detector flagged vanishing at the first update. */
  readonly profileFlagged: number;
  readonly profileAgrees: number;
}

const byOrder = <T>(items: readonly T[], key: (t: T) => string): string[] => [...new Set(items.map(key))];

/** Effective memory per (task, model), in plan order. */
export function memoryRows(cells: readonly GridCell[]): MemoryRow[] {
  const out: MemoryRow[] = [];
  for (const task of byOrder(cells, (c) => c.run.task.kind)) {
    const ofTask = cells.filter((c) => c.run.task.kind === task);
    for (const model of byOrder(ofTask, (c) => c.model)) {
      const runs = ofTask.filter((c) => c.model === model);
      const lags = [...new Set(runs.map((c) => c.lag))].sort((a, b) => a - b);
      const seeds = [...new Set(runs.map((c) => c.seed))];
      const outcomes = runs.map((c) => ({ lag: c.lag, learned: c.run.learned }));
      out.push({
        task, model, lags,
        quorumMemory: effectiveMemory(outcomes, Math.min(SEED_QUORUM, seeds.length)).effectiveLag,
        perSeed: seeds.map((seed) => ({ seed, memory: effectiveMemory(runs.filter((c) => c.seed === seed).map((c) => ({ lag: c.lag, learned: c.run.learned })), 1).effectiveLag })),
      });
    }
  }
  return out;
}

/** The document's detector and the profile detector against learning outcomes, per model. */
export function detectorRows(cells: readonly GridCell[]): DetectorRow[] {
  return byOrder(cells, (c) => c.model).map((model) => {
    const runs = cells.filter((c) => c.model === model);
    const count = (p: (c: GridCell) => boolean): number => runs.filter(p).length;
    return {
      model, runs: runs.length,
      notLearned: count((c) => !c.run.learned),
      documentFired: count((c) => c.detectors.document.fired),
      documentAgrees: count((c) => c.detectors.document.fired === !c.run.learned),
      profileFlagged: count((c) => c.detectors.profileInitial.vanishing),
      profileAgrees: count((c) => c.detectors.profileInitial.vanishing === !c.run.learned),
    };
  });
}

/** Markdown tables of both, for the Allure overview and the log. */
export function overviewMarkdown(memory: readonly MemoryRow[], detectors: readonly DetectorRow[]): string {
  return [
    `### Effective memory (largest planned lag L such that every planned lag ≤ L was learned; quorum ${SEED_QUORUM} of the seeds)`,
    '',
    '| task | model | lags | effective memory (quorum) | per seed |',
    '|---|---|---|---|---|',
    ...memory.map((m) => `| ${m.task} | ${m.model} | ${m.lags.join(', ')} | ${m.quorumMemory} | ${m.perSeed.map((s) => `seed ${s.seed}: ${s.memory}`).join('; ')} |`),
    '',
    '### Detectors against the runs that did not learn',
    '',
    '| model | runs | not learned | document detector fired | agrees with outcome | profile detector flagged (first update) | agrees with outcome |',
    '|---|---|---|---|---|---|---|',
    ...detectors.map((d) => `| ${d.model} | ${d.runs} | ${d.notLearned} | ${d.documentFired} | ${d.documentAgrees}/${d.runs} | ${d.profileFlagged} | ${d.profileAgrees}/${d.runs} |`),
  ].join('\n');
}
