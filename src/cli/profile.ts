import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveBackend } from '../backend/resolve.js';
import { ConfigError } from '../config/errors.js';
import { readConfigFile } from '../config/file.js';
import { createParams } from '../models/params.js';
import { buildTfModel } from '../models/tf-model.js';
import { chainProfile } from '../numerics/jacobian-chain.js';
import { oracleRun } from '../oracle/run.js';
import { temporalProfile } from '../probes/gradient-profile.js';
import { seriesByDistance } from '../claims/judge.js';
import { renderLineChartSvg } from '../report/plot.js';
import { writeAtomic } from '../report/atomic.js';
import { outputDirs, outsideNodeModules } from './paths.js';

export const PROFILE_HELP = `Usage: vg profile --config FILE [--out FILE.svg] [--backend NAME]

The temporal gradient profile of one configuration: log10 ‖∂L/∂h_t‖ and ‖∂L/∂x_t‖ for
L = Σ h_{T−1}, from tfjs (float32, underflow flagged) and from the float64 oracle, printed as a
table and drawn as an SVG. FILE is a JSON object with any ModelConfig fields; the others take
the document's demo values (architecture rnn, tanh, H = D = 100, T = 50, U(−0.1, 0.1)).
The plot goes to FILE.svg, or to ./reports/profile.svg under the current directory.`;

/** `vg profile`: prints the profile of one configuration and writes its plot. */
export async function runProfile(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { config: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' } }, strict: true });
  if (!values.config) throw new ConfigError('--config', undefined, 'a JSON file with the configuration');
  if (values.out !== undefined && !values.out.endsWith('.svg')) throw new ConfigError('--out', values.out, 'a path ending in .svg');
  const out = values.out === undefined ? join(outputDirs().root, 'profile.svg') : outsideNodeModules('--out', values.out);
  const config = readConfigFile(values.config);
  const backend = await resolveBackend(values.backend ?? process.env.VG_BACKEND);
  const params = createParams(config);
  const model = buildTfModel([params]);
  let profile;
  try {
    profile = await temporalProfile(model);
  } finally {
    model.dispose();
  }
  const chain = chainProfile(oracleRun(params));
  const T = config.seqLength;
  const fmt = (v: number | null) => (v === null ? 'underflow' : v.toFixed(3));
  const rows = ['distance  log10‖∂L/∂h_t‖ (tfjs)  (float64)  log10‖∂L/∂x_t‖ (tfjs)'];
  for (let t = T - 1; t >= 0; t--) rows.push(`${String(T - 1 - t).padStart(8)}  ${fmt(profile.gradState[0].log10[t]).padStart(21)}  ${chain.log10GradState[t].toFixed(3).padStart(9)}  ${fmt(profile.gradInput[0].log10[t]).padStart(21)}`);
  process.stdout.write(`backend ${backend.name}; ${JSON.stringify(config)}\n${rows.join('\n')}\n`);
  const svg = await renderLineChartSvg({
    title: `Temporal gradient profile: ${config.architecture} H${config.hiddenSize} T${T}`,
    xTitle: 'distance from the last step',
    yTitle: 'log10 norm',
    series: [
      seriesByDistance('‖∂L/∂h_t‖ (tfjs)', profile.gradState[0].log10),
      seriesByDistance('‖∂L/∂h_t‖ (float64)', chain.log10GradState, true),
      seriesByDistance('‖∂L/∂x_t‖ (tfjs)', profile.gradInput[0].log10),
    ],
  });
  mkdirSync(dirname(out), { recursive: true });
  writeAtomic(out, svg);
  process.stdout.write(`plot: ${out}\n`);
  return 0;
}
