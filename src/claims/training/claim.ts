import { ConfigError } from '../../config/errors.js';
import type { GridCell } from '../../experiments/grid.js';
import { LEARNED_MARGIN } from '../../experiments/tasks.js';
import { bandOf } from '../../engine/bands.js';
import { judge } from '../judge.js';
import type {
  Claim,
  EvidenceSeries,
  Evaluation,
  Expectation,
  HoldingBand,
  Region,
  RegionRole,
  Section,
  TrainingDomain,
  TrainingSubject,
} from '../../engine/types.js';
import { cellAt } from './budget.js';
import { lossCurve, runsOf } from './evidence.js';
import { TRAINING_SOLVE_RULE, budgetLadder, type TrainingPlan } from './plan.js';
import { type RunSummary, runSummary, summaryNumbers } from './run-summary.js';

/**
 * What the training claims share: their regions (one model family on one task, at one lag for
 * a per-run predicate or over every lag of the plan), their expectations (a table next to each
 * claim, by task, model and lag) and the evaluation of a run. Each claim lives in its document
 * section's file; they all run from specs/claims/11-training.test.ts, which trains once.
 */

export const VANILLA: readonly string[] = ['rnn-demo', 'rnn-orthogonal'];
export const GATED: readonly string[] = ['lstm-fb0', 'lstm-fb1', 'gru'];
/** Every model family of the plan (src/experiments/models.ts). */
export const ALL_MODELS: readonly string[] = [...VANILLA, 'residual', 'layernorm', ...GATED];

/** The learned criterion, in words (experiments/tasks.ts and the solve rule of plan.ts). */
export const LEARNED =
  `mean squared error on 512 held-out sequences ≤ ${LEARNED_MARGIN} × the task's baseline (the best ` +
  `error without the early input: 1 for recall, 1/12 for adding) at ` +
  `${TRAINING_SOLVE_RULE.confirmations + 1} consecutive evaluations ${TRAINING_SOLVE_RULE.every} ` +
  `updates apart, within the cap`;
const BUDGET = (p: TrainingPlan): string =>
  `trained to the learned criterion or ${p.budget.steps} Adam updates of ${p.budget.batchSize} fresh ` +
  `sequences, learning rate ${p.budget.learningRate}, ${p.budget.hiddenSize} hidden units, gradient ` +
  `clipped at norm 1, every model and lag alike`;

export const LOSS_PLOT = { title: 'Held-out loss', xTitle: 'Adam update', yTitle: 'log10 (held-out loss / baseline)' };
export const LAG_PLOT = { title: 'Learning against lag', xTitle: 'lag (steps)', yTitle: 'log10 (final loss / baseline)' };

/** A stated mixed expectation: the region splits, with the band of its recorded count. */
export interface StatedMixed {
  readonly expected: 'mixed';
  readonly band: HoldingBand;
}
/** A stated expectation of one region. */
export type Stated = Exclude<Expectation, 'mixed'> | StatedMixed;

/** A region stated as a boundary probe (its runs mostly miss the claim's premise), with its expectation. */
export interface StatedProbe {
  readonly beyond: Stated;
}

/** Marks a table entry as a boundary probe: the region is reported beyond the premise and never enters the claim's verdict. */
export function beyond(stated: Stated): StatedProbe {
  return { beyond: stated };
}

/** A mixed expectation recorded with `holds` of `runs` seeds holding (band: bandOf, engine/bands.ts). */
export function mixed(holds: number, runs: number): StatedMixed {
  return { expected: 'mixed', band: bandOf(holds, runs) };
}

/**
 * A training claim's expectations: by task, then model, then lag (per-run claims, key `5`) or
 * lag range (claims over every lag of the plan, key `'5-100'`: the reduced plan's range is
 * shorter, so it is another region). Recorded from a run (`vg verify --record`) and reviewed.
 */
export type ExpectationTable = {
  readonly [task in TrainingDomain['task']]?: { readonly [model: string]: { readonly [lagOrRange: string]: Stated | StatedProbe } };
};

/** How a training claim is built for a run. */
export interface BuildOptions {
  /**
   * Record mode (`vg verify --record`): a region with no stated expectation runs, its measured
   * verdict accepted and flagged (`Region.unstated`); otherwise such a region is an error.
   */
  readonly record?: boolean;
}

/** A training claim before its regions: built for a plan when asked. */
export interface TrainingClaim {
  readonly id: string;
  readonly section: Section;
  /** The file that states it, relative to the package root. */
  readonly source: string;
  /** The claim with the regions of `plan` (every (task, model, lag) it speaks of that the plan trains). */
  build(plan: TrainingPlan, options?: BuildOptions): Claim<TrainingDomain>;
}

/** What a training claim states; its regions and evaluation follow from a plan. */
export interface TrainingClaimSpec extends Omit<Claim<TrainingDomain>, 'regions' | 'evaluate' | 'source' | 'section'> {
  readonly section: Section;
  /** The model families it speaks of. */
  readonly models: readonly string[];
  /** One region per lag (a per-run predicate) or one over every lag of the plan. */
  readonly scope: 'lag' | 'lags';
  /** The lags it speaks of (default: every lag of the plan). */
  readonly lagFilter?: (lag: number) => boolean;
  readonly expected: ExpectationTable;
  /**
   * Each region's role (engine/types.ts RegionRole) from its task, model and lags: a region beyond
   * the claim's scope (a lag inside the memory the document grants, a model whose runs do not meet
   * the premise) is a boundary probe. Default: every region tests the premise.
   */
  readonly role?: (region: { readonly task: TrainingDomain['task']; readonly model: string; readonly lags: readonly number[] }) => RegionRole;
  readonly evaluate: (plan: TrainingPlan) => Claim<TrainingDomain>['evaluate'];
}

function regionsFor(spec: TrainingClaimSpec, source: string, plan: TrainingPlan, options: BuildOptions): Region<TrainingDomain>[] {
  const out: Region<TrainingDomain>[] = [];
  for (const t of plan.tasks) {
    for (const model of spec.models.filter((m) => t.models.includes(m))) {
      const lags = t.lags.filter(spec.lagFilter ?? (() => true));
      if (lags.length === 0) continue;
      const groups = spec.scope === 'lag' ? lags.map((l) => [l]) : [lags];
      for (const g of groups) {
        const key = spec.scope === 'lag' ? `${g[0]}` : `${g[0]}-${g[g.length - 1]}`;
        const id = `${t.task}/${model}/${spec.scope === 'lag' ? 'lag' : 'lags'}-${key}`;
        const entry = spec.expected[t.task]?.[model]?.[key];
        const probe = typeof entry === 'object' && 'beyond' in entry;
        const stated = probe ? entry.beyond : entry;
        if (stated === undefined && !options.record) {
          throw new ConfigError(
            `${spec.id} [${id}] expectation`,
            stated,
            `a verdict stated in the claim's table (${source}); \`vg verify --record\` measures the region and ` +
              `lists it in <out>/partial/expectations.json for review`,
          );
        }
        const expectation: Pick<Region, 'expected' | 'band' | 'unstated'> =
          stated === undefined ? { expected: 'holds', unstated: true } : typeof stated === 'string' ? { expected: stated } : stated;
        out.push({
          id,
          description:
            `${model} trained on ${t.task} ` +
            `${spec.scope === 'lag' ? `at lag ${g[0]}` : `at lags ${g.join(', ')}`}; seeds ` +
            `${plan.seeds.join(', ')}; ${BUDGET(plan)}`,
          domain: { kind: 'training', task: t.task, model, lags: g, seeds: plan.seeds, budget: plan.budget },
          role: probe ? 'boundary' : (spec.role?.({ task: t.task, model, lags: g }) ?? 'premise'),
          ...expectation,
          runs: plan.seeds.length,
        });
      }
    }
  }
  return out;
}

/** A training claim from its statement; `source` is its file (sourceOf(import.meta.url)). */
export function trainingClaim(spec: TrainingClaimSpec, source: string): TrainingClaim {
  const { models: _models, scope: _scope, lagFilter: _lagFilter, expected: _expected, role: _role, evaluate, ...claim } = spec;
  return {
    id: spec.id,
    section: spec.section,
    source,
    build: (plan, options = {}) => ({ ...claim, source, regions: regionsFor(spec, source, plan, options), evaluate: evaluate(plan) }),
  };
}

/** The predicate read at every budget of the plan's ladder, each run cut at that budget (claims/training/budget.ts). */
function byBudget(cells: readonly GridCell[], decide: (cells: readonly GridCell[]) => boolean): Evaluation['byBudget'] {
  const cap = cells[0].run.budget.steps;
  return budgetLadder(cap).map((budget) => ({ budget, holds: decide(cells.map((c) => cellAt(c, budget))) }));
}

/**
 * A per-run claim: one case per seed at one lag, decided on the run's summary. `premise`, when the
 * claim's premise reads the run (its gradient vanishes, its loss plateaus), is read at the cap:
 * a run outside it is counted apart at every budget (engine/run-region.ts).
 */
export function perRun(
  plan: TrainingPlan,
  subjects: readonly TrainingSubject[],
  decide: (run: RunSummary) => boolean,
  options: PerRunOptions<RunSummary> = {},
): Promise<Evaluation[]> {
  return perRunOf(plan, subjects, { read: (cell) => runSummary(cell), decide, numbers: summaryNumbers, series: options.series ?? lossCurve }, options);
}

/** How a per-run claim reads a run when the summary and the loss curve are not its evidence. */
export interface RunReading<R> {
  /** What the claim reads of a run (also of a run cut at a budget of the ladder). */
  readonly read: (cell: GridCell) => R;
  readonly decide: (reading: R) => boolean;
  /** The record's numbers, key number first. */
  readonly numbers: (reading: R) => Evaluation['numbers'];
  /** The evidence plot's series of the run (at the cap). */
  readonly series: (cell: GridCell) => EvidenceSeries[];
}

/** A per-run claim with its own reading of a run: one case per seed at one lag, the predicate read at every budget (or at the cap only). */
export function perRunOf<R>(
  plan: TrainingPlan,
  subjects: readonly TrainingSubject[],
  how: RunReading<R>,
  options: PerRunOptions<R> = {},
): Promise<Evaluation[]> {
  const { premise, capOnly } = options;
  return Promise.all(
    subjects.map(async (s) => {
      const [cell] = await runsOf(s, plan);
      const reading = how.read(cell);
      const holds = how.decide(reading);
      const inPremise = premise ? { inPremise: await premise(reading, s) } : {};
      const ladder = capOnly === undefined ? byBudget([cell], ([c]) => how.decide(how.read(c))) : [{ budget: cell.run.budget.steps, holds }];
      return { ...judge(holds, how.numbers(reading), how.series(cell)), byBudget: ladder, ...inPremise };
    }),
  );
}

/** What a per-run claim may add to its predicate. */
export interface PerRunOptions<R = RunSummary> {
  /** Whether the run meets the claim's premise (read at the cap; may read other runs of the plan, such as the vanilla RNN's at the same lag and seed). */
  readonly premise?: (reading: R, subject: TrainingSubject) => boolean | Promise<boolean>;
  /** The evidence plot's series of a run (default: its held-out loss curve). */
  readonly series?: (cell: GridCell) => EvidenceSeries[];
  /**
   * Why the predicate can be read at the cap only (a quantity measured once, at the end of
   * training): the region then has no budget ladder, and is never budget-limited.
   */
  readonly capOnly?: string;
}

/** A claim over a seed's runs at every lag: the evaluation at the cap, with the predicate read at every budget. */
export function overLags(cells: readonly GridCell[], decide: (cells: readonly GridCell[]) => boolean, evaluation: Evaluation): Evaluation {
  return { ...evaluation, byBudget: byBudget(cells, decide) };
}

/** log10 (final loss / baseline) against the lag, for one seed's runs. */
export function lossRatioByLag(cells: readonly GridCell[], seed: number): EvidenceSeries {
  return { name: `final loss / baseline (seed ${seed})`, points: cells.map((c) => ({ x: c.lag, y: Math.log10(c.run.final.loss / c.run.task.baseline) })) };
}
