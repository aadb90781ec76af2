import type { DetectorComparison } from '../../experiments/detector.js';
import { type GridCell, runGrid } from '../../experiments/grid.js';
import { shareBeyond, stepShares } from '../../experiments/metrics.js';
import { modelSpec } from '../../experiments/models.js';
import type { EvidenceSeries, TrainingDomain, TrainingSubject } from '../types.js';
import { trainingPlan, type TrainingPlan } from './plan.js';

/**
 * The training runs behind the training claims, trained once per (task, lag) for every model
 * and seed the plan lists at that lag (one batched tfjs loop per model shape), and shared by
 * every claim that asks for them. A claim asking for one run trains its whole (task, lag), so
 * every run's batch is the same whichever claims are filtered in.
 */
const cache = new Map<string, Promise<readonly GridCell[]>>();

/** Runs at one (task, lag) of the plan: every model the plan lists for the task, every seed. */
function cellsAt(plan: TrainingPlan, task: TrainingDomain['task'], lag: number): Promise<readonly GridCell[]> {
  const key = `${plan.profile}/${task}/${lag}`;
  let hit = cache.get(key);
  if (!hit) {
    const taskPlan = plan.tasks.find((t) => t.task === task && t.lags.includes(lag));
    if (!taskPlan) throw new RangeError(`training evidence: the ${plan.profile} plan has no ${task} runs at lag ${lag}`);
    hit = runGrid({ models: taskPlan.models.map(modelSpec), task, lags: [lag], seeds: plan.seeds, budget: plan.budget });
    cache.set(key, hit);
  }
  return hit;
}

/** The finished run of one model, task, lag and seed. */
export async function trainingRun(task: TrainingDomain['task'], model: string, lag: number, seed: number, plan = trainingPlan()): Promise<GridCell> {
  const cell = (await cellsAt(plan, task, lag)).find((c) => c.model === model && c.seed === seed);
  if (!cell) throw new RangeError(`training evidence: no ${model} run at ${task} lag ${lag}, seed ${seed} in the ${plan.profile} plan`);
  return cell;
}

/** Every run of a subject: one per lag, in the subject's lag order. */
export function runsOf(subject: TrainingSubject, plan = trainingPlan()): Promise<GridCell[]> {
  return Promise.all(subject.lags.map((lag) => trainingRun(subject.task, subject.model, lag, subject.seed, plan)));
}

/**
 * Trains the plan's runs now, in plan order (the training spec calls this once, with a long
 * timeout); `only` limits it to some (task, lag) pairs, as "task/lag" keys.
 */
export async function trainPlan(plan = trainingPlan(), onLag?: (task: string, lag: number, ms: number) => void, only?: ReadonlySet<string>): Promise<GridCell[]> {
  const out: GridCell[] = [];
  for (const t of plan.tasks) {
    for (const lag of t.lags) {
      if (only && !only.has(`${t.task}/${lag}`)) continue;
      const start = performance.now();
      out.push(...(await cellsAt(plan, t.task, lag)));
      onLag?.(t.task, lag, performance.now() - start);
    }
  }
  return out;
}

/** The per-run numbers every training claim reports (rounded later by the record). */
export function runNumbers(cell: GridCell, detectors: DetectorComparison = cell.detectors): Record<string, number | string | boolean | null> {
  const r = cell.run;
  const shares = stepShares(r.probes[0].wHhTerms);
  return {
    lag: cell.lag,
    seed: cell.seed,
    lossOverBaseline: r.final.loss / r.task.baseline,
    accuracy: r.final.accuracy,
    learned: r.learned,
    plateaued: r.plateau.plateaued,
    tailImprovement: r.plateau.relativeImprovement,
    plateauOnsetUpdate: r.plateau.onsetStep,
    profileGapInitial: detectors.profileInitial.gapDecades ?? 'underflow',
    profileVanishingInitial: detectors.profileInitial.vanishing,
    documentDetectorFired: detectors.document.fired,
    minNormWhh: detectors.document.minWeightHhNorm,
    hhOverIh: detectors.document.finalHhOverIh,
    farShareWhh: shareBeyond(shares, Math.ceil(cell.lag / 2)),
    collapseInitial: r.initial.collapse,
    collapseFinal: r.final.collapse,
  };
}

/** log10 of the training loss at every update, and the baseline (dashed), for the evidence plot. */
export function lossCurve(cell: GridCell): EvidenceSeries[] {
  const r = cell.run;
  return [
    { name: `training loss (${cell.model}, lag ${cell.lag}, seed ${cell.seed})`, points: r.steps.map((s, i) => ({ x: i, y: s.loss > 0 ? Math.log10(s.loss) : null })) },
    { name: 'baseline (early input ignored)', points: [{ x: 0, y: Math.log10(r.task.baseline) }, { x: r.steps.length - 1, y: Math.log10(r.task.baseline) }], dashed: true },
    { name: 'learned threshold (½ baseline)', points: [{ x: 0, y: Math.log10(r.task.baseline / 2) }, { x: r.steps.length - 1, y: Math.log10(r.task.baseline / 2) }], dashed: true },
  ];
}
