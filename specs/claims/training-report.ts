import { LOSS_PLOT } from '../../src/claims/training/claim.js';
import { lossCurve } from '../../src/claims/training/evidence.js';
import type { TrainingPlan } from '../../src/claims/training/plan.js';
import type { Claim, Domain, Region } from '../../src/engine/types.js';
import type { GridCell } from '../../src/experiments/grid.js';
import type { PlotSeries } from '../../src/report/plot.js';

/** The vanilla RNN that gated and other mitigated cells are read against. */
export const VANILLA_MODEL = 'rnn-demo';

/**
 * For a training region of a model other than a vanilla RNN, the vanilla RNN's held-out curves at
 * the same task, lag and seeds, drawn light beside the region's own: read from the runs this spec
 * trained (the plan trains every model of a (task, lag) together), never trained for the plot.
 * Empty when the plan has no vanilla RNN there, and on a plot of anything but the held-out loss (a
 * loss curve drawn on another quantity's axis would be read as that quantity). A run the plan
 * has but the trained runs lack is an error, not a missing curve.
 */
export function vanillaBeside(claim: Claim<Domain>, region: Region<Domain>, plan: TrainingPlan, cells: readonly GridCell[]): PlotSeries[] {
  const d = region.domain;
  if (d.kind !== 'training' || d.lags.length !== 1 || d.model.startsWith('rnn-') || claim.plot?.yTitle !== LOSS_PLOT.yTitle) return [];
  const lag = d.lags[0];
  if (!plan.tasks.some((t) => t.task === d.task && t.lags.includes(lag) && t.models.includes(VANILLA_MODEL))) return [];
  const group = `${VANILLA_MODEL} (vanilla RNN), same lag and seeds`;
  return d.seeds.map((seed) => {
    const cell = cells.find((c) => c.model === VANILLA_MODEL && c.run.task.kind === d.task && c.lag === lag && c.seed === seed);
    if (!cell)
      throw new Error(
        `vanillaBeside: ${claim.id} [${region.id}]: no trained ${VANILLA_MODEL} run at ${d.task} lag ${lag}, ` +
          `seed ${seed}, though the ${plan.profile} plan lists one (${cells.length} runs trained)`,
      );
    return { ...lossCurve(cell)[0], name: `${VANILLA_MODEL} seed ${cell.seed}`, light: true, group };
  });
}
