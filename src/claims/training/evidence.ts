import { type GridCell, type GridSpec, runGrid, runGrids } from '../../experiments/grid.js';
import { defaultJobs } from '../../experiments/pool.js';
import { modelSpec } from '../../experiments/models.js';
import type { EvidenceSeries, TrainingDomain, TrainingSubject } from '../../engine/types.js';
import { LEARNED_MARGIN } from '../../experiments/tasks.js';
import { TRAINING_SOLVE_RULE, type TrainingPlan } from './plan.js';

/**
 * The training runs behind the training claims, trained once per (task, lag) for every model
 * and seed the plan lists at that lag (one batched tfjs loop per model shape), and shared by
 * every claim that asks for them. A claim asking for one run trains its whole (task, lag), so
 * every run's batch is the same whichever claims are filtered in.
 */
const cache = new Map<string, Promise<readonly GridCell[]>>();

function gridAt(plan: TrainingPlan, task: TrainingDomain['task'], lag: number): GridSpec {
  const taskPlan = plan.tasks.find((t) => t.task === task && t.lags.includes(lag));
  if (!taskPlan) throw new RangeError(`training evidence: the ${plan.profile} plan has no ${task} runs at lag ${lag}`);
  return {
    models: [...taskPlan.models, ...(taskPlan.alsoTrained ?? [])].map(modelSpec),
    task,
    lags: [lag],
    seeds: plan.seeds,
    budget: plan.budget,
    options: { solve: TRAINING_SOLVE_RULE },
  };
}

const keyOf = (plan: TrainingPlan, task: string, lag: number): string => `${plan.profile}/${task}/${lag}`;

/** Runs at one (task, lag) of the plan: every model the plan lists for the task, every seed. */
function cellsAt(plan: TrainingPlan, task: TrainingDomain['task'], lag: number): Promise<readonly GridCell[]> {
  const key = keyOf(plan, task, lag);
  let hit = cache.get(key);
  if (!hit) {
    hit = runGrid(gridAt(plan, task, lag));
    cache.set(key, hit);
  }
  return hit;
}

/**
 * Puts finished runs in the cache, as if the plan had trained them (tools that re-read the runs
 * of an earlier training, and tests): each (task, lag) of the plan takes the given cells of its models.
 */
export function useTrainedRuns(plan: TrainingPlan, cells: readonly GridCell[]): void {
  for (const t of plan.tasks) {
    const models = new Set([...t.models, ...(t.alsoTrained ?? [])]);
    for (const lag of t.lags) {
      const mine = cells.filter((c) => c.run.task.kind === t.task && c.lag === lag && models.has(c.model));
      if (mine.length > 0) cache.set(keyOf(plan, t.task, lag), Promise.resolve(mine));
    }
  }
}

/** The finished run of one model, task, lag and seed. */
export async function trainingRun(task: TrainingDomain['task'], model: string, lag: number, seed: number, plan: TrainingPlan): Promise<GridCell> {
  const cell = (await cellsAt(plan, task, lag)).find((c) => c.model === model && c.seed === seed);
  if (!cell) throw new RangeError(`training evidence: no ${model} run at ${task} lag ${lag}, seed ${seed} in the ${plan.profile} plan`);
  return cell;
}

/** Every run of a subject: one per lag, in the subject's lag order. */
export function runsOf(subject: TrainingSubject, plan: TrainingPlan): Promise<GridCell[]> {
  return Promise.all(subject.lags.map((lag) => trainingRun(subject.task, subject.model, lag, subject.seed, plan)));
}

/**
 * Trains the plan's runs now (the training spec calls this once, with a long timeout): every
 * (task, lag) not trained yet, their groups spread over `jobs` workers (default: one per core). `only` limits it to some (task, lag) pairs, as "task/lag" keys. Returns the runs in
 * plan order, whatever the number of workers.
 */
export async function trainPlan(
  plan: TrainingPlan,
  onLag?: (task: string, lag: number, ms: number) => void,
  only?: ReadonlySet<string>,
  jobs = defaultJobs(),
): Promise<GridCell[]> {
  const pairs = plan.tasks.flatMap((t) => t.lags.map((lag) => ({ task: t.task, lag }))).filter((p) => !only || only.has(`${p.task}/${p.lag}`));
  const missing = pairs.filter((p) => !cache.has(keyOf(plan, p.task, p.lag)));
  if (missing.length > 0) {
    const trained = runGrids(
      missing.map((p) => gridAt(plan, p.task, p.lag)),
      undefined,
      jobs,
    );
    missing.forEach((p, i) => {
      const cells = trained.then((all) => all[i]);
      cells.catch(() => undefined); // awaited below; this only keeps a failure from also being reported as unhandled
      cache.set(keyOf(plan, p.task, p.lag), cells);
    });
  }
  const out: GridCell[] = [];
  for (const p of pairs) {
    const cells = await cellsAt(plan, p.task, p.lag);
    out.push(...cells);
    onLag?.(
      p.task,
      p.lag,
      cells.reduce((ms, c) => Math.max(ms, c.run.wallMs), 0),
    );
  }
  return out;
}

/**
 * The evidence plot of a run: log10 (held-out loss / baseline) at every evaluation (one line per
 * seed when a region's cases are drawn together), the learned criterion and the cap (dashed).
 */
export function lossCurve(cell: GridCell): EvidenceSeries[] {
  const r = cell.run;
  const cap = r.budget.steps;
  const ys = r.curve.map((p) => (p.loss > 0 ? Math.log10(p.loss / r.task.baseline) : null));
  const finite = ys.filter((y): y is number => y !== null && Number.isFinite(y));
  const [lo, hi] = [Math.min(Math.log10(LEARNED_MARGIN) - 1, ...finite), Math.max(0.5, ...finite)];
  return [
    { name: `seed ${cell.seed}${r.solvedAt !== null ? ` (solved at ${r.solvedAt})` : ''}`, points: r.curve.map((p, i) => ({ x: p.step, y: ys[i] })) },
    {
      name: `learned criterion (${LEARNED_MARGIN} × baseline)`,
      points: [
        { x: 0, y: Math.log10(LEARNED_MARGIN) },
        { x: cap, y: Math.log10(LEARNED_MARGIN) },
      ],
      dashed: true,
    },
    {
      name: `cap (${cap} updates)`,
      points: [
        { x: cap, y: lo },
        { x: cap, y: hi },
      ],
      dashed: true,
    },
  ];
}
