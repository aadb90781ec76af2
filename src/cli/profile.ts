import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveBackend } from '../backend/resolve.js';
import { ConfigError } from '../config/errors.js';
import { readConfigFile } from '../config/file.js';
import { profileSteps } from '../config/validate.js';
import { createParams } from '../models/params.js';
import { buildTfModel } from '../models/tf-model.js';
import { type ChainProfile, type Float64Flags, chainProfile } from '../numerics/jacobian-chain.js';
import { oracleRun } from '../oracle/run.js';
import type { FlaggedLog10Series } from '../numerics/log-norm.js';
import { type ModelProfile, temporalProfile } from '../probes/gradient-profile.js';
import { type PlotSeries, type PlotSpec, renderLineChartSvg } from '../report/plot.js';
import type { ModelConfig } from '../config/types.js';
import { type ProfileTableShape, profileTable } from './profile-table.js';
import { PROFILE_FLAGS, parseOptions } from './flags.js';
import { writeAtomic } from '../report/atomic.js';
import { profileFloors, stateWidth } from '../probes/forward.js';
import { float32Arithmetic } from '../backend/float32.js';
import { outputDirs, outsideNodeModules } from './paths.js';

/** `vg profile`: prints the profile of one configuration and writes its plot. */
export async function runProfile(args: readonly string[]): Promise<number> {
  const { values: raw } = parseArgs({ args: [...args], options: parseOptions(PROFILE_FLAGS), strict: true });
  const values = raw as { config?: string; out?: string; backend?: string };
  if (!values.config) throw new ConfigError('--config', undefined, 'a JSON file with the configuration');
  if (values.out !== undefined && !values.out.endsWith('.svg')) throw new ConfigError('--out', values.out, 'a path ending in .svg');
  const out = values.out === undefined ? join(outputDirs().root, 'profile.svg') : outsideNodeModules('--out', values.out);
  const config = readConfigFile(values.config);
  profileSteps('seqLength', config.seqLength);
  const backend = await resolveBackend(values.backend ?? process.env.VG_BACKEND, { announce: true });
  const measured = await measureProfile(config);
  process.stdout.write(`backend ${backend.name}; ${JSON.stringify(config)}\n${profileTable(measured.tfjs, measured.float64, measured.shape).join('\n')}\n`);
  const svg = await renderLineChartSvg(profilePlot(config, measured));
  mkdirSync(dirname(out), { recursive: true });
  writeAtomic(out, svg);
  process.stdout.write(`plot: ${out}\n`);
  return 0;
}

/** What `vg profile` measures: tfjs's float32 profile, the float64 oracle's, and the table's shape. */
export interface MeasuredProfile {
  readonly tfjs: ModelProfile;
  readonly float64: ChainProfile;
  readonly shape: ProfileTableShape;
}

/** Measures one configuration's profile on the current tfjs backend and in float64. */
export async function measureProfile(config: ModelConfig): Promise<MeasuredProfile> {
  const params = createParams(config);
  const model = buildTfModel([params]);
  const S = stateWidth(model);
  // Products per entry of the widest dot product in a step: the gates' G·H from h_{t−1} plus D from x_t.
  const terms = (model.wHh.shape[2] as number) + config.inputSize;
  const floors = profileFloors(model);
  let profile: Awaited<ReturnType<typeof temporalProfile>>;
  try {
    profile = await temporalProfile(model);
  } finally {
    model.dispose();
  }
  return {
    tfjs: { gradState: profile.gradState[0], gradInput: profile.gradInput[0], firstOverflow: profile.firstOverflow[0] },
    float64: chainProfile(oracleRun(params)),
    shape: { stateWidth: S, inputWidth: config.inputSize, lstm: config.architecture === 'lstm', terms, floors, flushes: float32Arithmetic().flushesSubnormals },
  };
}

/** One series of the plot against distance, each missing value with its reason (the plot's notes say where and why). */
function byDistance(name: string, values: ReadonlyArray<number | null>, why: (t: number) => string | null, dashed = false): PlotSeries {
  const T = values.length;
  const points = values.map((v, t) => {
    const gap = why(t);
    return gap !== null || v === null || !Number.isFinite(v) ? { x: T - 1 - t, y: null, gap: gap ?? 'no value' } : { x: T - 1 - t, y: v };
  });
  return { name, points: points.reverse(), dashed };
}

/** The plot `vg profile` draws: tfjs beside float64, nothing drawn that the table flags, and the x axis over every step. */
export function profilePlot(config: ModelConfig, { tfjs, float64, shape }: MeasuredProfile): PlotSpec {
  const s = shape.lstm ? 's' : 'h';
  const float32Why =
    (series: FlaggedLog10Series) =>
    (t: number): string | null =>
      series.overflow[t] ? 'float32 overflow' : series.underflow[t] ? 'float32 underflow' : null;
  const float64Why =
    (flags: Float64Flags) =>
    (t: number): string | null =>
      flags.overflow[t] ? 'float64 overflow' : flags.zero[t] ? 'exactly 0 in float64' : null;
  return {
    title: `Temporal gradient profile: ${config.architecture} H${config.hiddenSize} T${config.seqLength}`,
    xTitle: 'distance from the last step',
    yTitle: 'log10 norm',
    series: [
      byDistance(`‖∂L/∂${s}_t‖ (tfjs)`, tfjs.gradState.log10, float32Why(tfjs.gradState)),
      byDistance(`‖∂L/∂${s}_t‖ (float64)`, float64.log10GradState, float64Why(float64.state), true),
      byDistance('‖∂L/∂x_t‖ (tfjs)', tfjs.gradInput.log10, float32Why(tfjs.gradInput)),
      byDistance('‖∂L/∂x_t‖ (float64)', float64.log10GradInput, float64Why(float64.input), true),
    ],
  };
}
