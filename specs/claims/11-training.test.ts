import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as allure from 'allure-js-commons';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { trainingClaimsFor } from '../../src/claims/registry.js';
import { trainingClaim } from '../../src/claims/training/claim.js';
import { matchesExpectation } from '../../src/engine/run-region.js';
import { expectedVerdict } from '../../src/engine/types.js';
import { engineOptionsFromEnv } from '../../src/engine/options.js';
import { trainPlan } from '../../src/claims/training/evidence.js';
import {
  budgetStabilityMarkdown,
  detectorRows,
  memoryRows,
  overviewMarkdown,
  solveMarkdown,
  solveRows,
  TRAINING_OVERVIEW_FILE,
  trainingOverviewHeader,
} from '../../src/claims/training/overview.js';
import { writeAtomic } from '../../src/report/atomic.js';
import { trainingPlan } from '../../src/claims/training/plan.js';
import type { GridCell } from '../../src/experiments/grid.js';
import { type PlotSeries, renderBarChartSvg, renderLineChartSvg } from '../../src/report/plot.js';
import { TRAINING_CHART_PREFIX } from '../../src/report/evidence-store.js';
import { LEARNED_MARGIN } from '../../src/experiments/tasks.js';
import { median } from '../../src/numerics/stats.js';
import { vanillaBeside } from './training-report.js';
import { selectedClaims, verifyClaims } from './verify-section.js';

// The training claims of every section, in one file so the runs are trained once and shared.
const engine = engineOptionsFromEnv();
const plan = trainingPlan(engine.training, engine.trainingShard);
const claims = trainingClaimsFor(plan, { record: engine.record });
// The (task, lag) pairs the selected claims need (`vg verify --claim …` trains no more than that).
// Under `vg verify --config` only model-configuration claims run, so nothing is trained.
const needed = new Set(
  (engine.pinned ? [] : selectedClaims(claims, engine)).flatMap((c) =>
    c.regions.flatMap(({ domain: d }) => (d.kind === 'training' ? d.lags.map((l) => `${d.task}/${l}`) : [])),
  ),
);
let cells: GridCell[] = [];
let tensorsBefore = 0;

beforeAll(async () => {
  if (needed.size === 0) return;
  await resolveBackend();
  tensorsBefore = tf.memory().numTensors;
  const start = performance.now();
  cells = await trainPlan(
    plan,
    (task, lag, ms) =>
      console.log(`[training ${plan.profile}] ${task} lag ${lag}: ${(ms / 1000).toFixed(1)} s (elapsed ${((performance.now() - start) / 1000).toFixed(0)} s)`),
    needed,
    engine.jobs ?? undefined,
  );
}, 90 * 60_000); // the full plan takes 13–15 min on an idle 2-core machine; several times that when the machine is shared

// The report is told, not left to find out: a shard's claims hold only its own regions, so their
// node shows the whole plan's claim verdict; the vanilla RNN's curves come from the runs trained above.
const whole = engine.trainingShard ? trainingClaimsFor(trainingPlan(engine.training), { record: engine.record }) : claims;
verifyClaims(claims, {
  engine,
  claimVerdict: (claim) => expectedVerdict(whole.find((c) => c.id === claim.id) ?? claim),
  beside: (claim, region) => vanillaBeside(claim, region, plan, cells),
});

describe(`training overview (${plan.profile} plan)`, () => {
  it.runIf(needed.size > 0)(
    'should train every planned run to finite numbers without leaking tensors, and chart effective memory and the detectors',
    async () => {
      await allure.epic('Training experiments');
      await allure.displayName(`Training overview (${plan.profile} plan): effective memory by model, detectors against outcomes`);
      expect(tf.memory().numTensors, 'tensors left behind by training').toBe(tensorsBefore);
      const broken = cells.filter((c) => !Number.isFinite(c.run.final.loss) || c.run.steps.some((s) => !Number.isFinite(s.loss)));
      expect(
        broken.map((c) => `${c.model} ${c.run.task.kind} lag ${c.lag} seed ${c.seed}`),
        'runs with a non-finite loss',
      ).toEqual([]);
      const memory = memoryRows(cells);
      const detectors = detectorRows(cells);
      const detected = detectors.reduce((s, d) => s + d.runs, 0);
      expect(detected, `runs counted by the detector table: ${detected} against ${cells.length} trained`).toBe(cells.length);
      const solve = solveRows(cells);
      expect(
        solve.reduce((n, r) => n + r.perSeed.length, 0),
        'every run in the steps-to-solve table',
      ).toBe(cells.length);
      const md = `${solveMarkdown(solve, plan.budget.steps)}\n\n${budgetStabilityMarkdown(solve, plan.budget.steps)}\n\n${overviewMarkdown(memory, detectors)}`;
      console.log(md);
      await allure.description(`${md}\n\nBudget: ${JSON.stringify(plan.budget)}; seeds ${plan.seeds.join(', ')}; backend ${tf.getBackend()}.`);
      await allure.attachment('overview.md', md, { contentType: 'text/markdown', fileExtension: 'md' });
      // `vg verify` publishes this as reports/TRAINING.md after a full run.
      if (engine.evidenceDir !== null) {
        await mkdir(engine.evidenceDir, { recursive: true });
        writeAtomic(join(engine.evidenceDir, TRAINING_OVERVIEW_FILE), `${trainingOverviewHeader(plan, tf.getBackend())}\n\n${md}\n`);
      }
      const svg = await renderBarChartSvg({
        title: `Effective memory by model (quorum of seeds, ${plan.profile} plan)`,
        xTitle: 'model',
        yTitle: 'effective memory (steps)',
        bars: memory.map((m) => ({ category: m.model, group: m.task, value: m.quorumMemory })),
      });
      await allure.attachment('effective memory by model.svg', svg, { contentType: 'image/svg+xml', fileExtension: 'svg' });
      // The summary charts also go beside the records, where vg report attaches them to the report's overview.
      const charts: [string, string][] = [['effective-memory', svg]];
      for (const task of [...new Set(cells.map((c) => c.run.task.kind))]) {
        const ofTask = cells.filter((c) => c.run.task.kind === task);
        const models = [...new Set(ofTask.map((c) => c.model))];
        const lags = [...new Set(ofTask.map((c) => c.lag))].sort((a, b) => a - b);
        const ratio = (c: GridCell): number => Math.log10(c.run.final.loss / c.run.task.baseline);
        // Every seed faint (the spread), the median of the seeds bold with a marker at each lag, and the learned criterion dashed.
        const series: PlotSeries[] = models.flatMap((model) => {
          const runs = ofTask.filter((c) => c.model === model);
          const seeds = [...new Set(runs.map((c) => c.seed))];
          const perSeed = seeds.map((seed) => ({
            name: `${model} · seed ${seed}`,
            group: model,
            faint: true,
            points: lags.map((lag) => {
              const c = runs.find((r) => r.seed === seed && r.lag === lag);
              return { x: lag, y: c ? ratio(c) : null };
            }),
          }));
          const medianAt = (lag: number): number | null => {
            const ys = runs
              .filter((c) => c.lag === lag)
              .map(ratio)
              .filter(Number.isFinite);
            return ys.length ? median(ys) : null;
          };
          return [...perSeed, { name: `${model} (median of ${seeds.length} seeds)`, group: model, points: lags.map((lag) => ({ x: lag, y: medianAt(lag) })) }];
        });
        series.push({
          name: `learned (≤ ${LEARNED_MARGIN} × baseline)`,
          dashed: true,
          points: [
            { x: lags[0], y: Math.log10(LEARNED_MARGIN) },
            { x: lags[lags.length - 1], y: Math.log10(LEARNED_MARGIN) },
          ],
        });
        const chart = await renderLineChartSvg({
          title: `${task}: final held-out loss against lag (every seed faint, median bold)`,
          xTitle: 'lag (steps)',
          yTitle: 'log10 (final loss / baseline)',
          series,
          markers: true,
          width: 620,
          height: 340,
        });
        await allure.attachment(`${task} loss against lag.svg`, chart, { contentType: 'image/svg+xml', fileExtension: 'svg' });
        charts.push([`loss-against-lag-${task}`, chart]);
      }
      if (engine.evidenceDir !== null) for (const [name, chart] of charts) writeAtomic(join(engine.evidenceDir, `${TRAINING_CHART_PREFIX}${name}.svg`), chart);
    },
  );
});

describe('a training region with no stated expectation', () => {
  // A claim whose table states only recall/rnn-demo at lag 5: every other region of the reduced plan is unstated.
  const partial = trainingClaim(
    {
      id: 'VG-TEST-UNSTATED',
      section: 'Diagnosis',
      kind: 'empirical',
      statement: 'test',
      predicate: 'test',
      premise: { text: 'unconditional' },
      models: ['rnn-demo'],
      scope: 'lag',
      expected: { recall: { 'rnn-demo': { 5: 'holds' } } },
      evaluate: () => async () => [],
    },
    'specs/claims/11-training.test.ts',
  );

  it('should be an error naming the claim, the region and vg verify --record', () => {
    expect(() => partial.build(trainingPlan('reduced')), 'building VG-TEST-UNSTATED without record mode').toThrow(
      /VG-TEST-UNSTATED \[recall\/rnn-demo\/lag-10\].*vg verify --record/,
    );
  });

  it('should run in record mode, flagged unstated and accepting whatever it measures', () => {
    const regions = partial.build(trainingPlan('reduced'), { record: true }).regions;
    expect(
      regions.map((r) => `${r.id} ${r.unstated === true}`),
      'regions built in record mode',
    ).toEqual(['recall/rnn-demo/lag-5 false', 'recall/rnn-demo/lag-10 true', 'recall/rnn-demo/lag-20 true']);
    for (const verdict of ['holds', 'refuted', 'mixed', 'budget-limited'] as const) {
      expect(matchesExpectation(regions[1], verdict, 2, 5), `unstated region measured ${verdict}`).toBe(true);
      expect(matchesExpectation(regions[0], verdict, 2, 5), `stated (holds) region measured ${verdict}`).toBe(verdict === 'holds');
    }
  });
});
