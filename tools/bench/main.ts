/**
 * Performance benchmark. Usage:
 *   npx tsx tools/bench/main.ts [--quick] [--readme] [--batch=N] [--backend=wasm|cpu|node]… [--no-scaling] [--no-profile] [--no-train] [--no-layers] [--no-jobs] [--jobs-plan=full|reduced] [--jobs-cap=N]
 * The backends default to every one that loads here (node: when tfjs-node is installed).
 * Prints a report on stdout (progress on stderr) and writes reports/bench.json; --readme also
 * rewrites the README's block between its bench markers, and --readme-backends the measured table
 * of the Backends section (between its backends markers). Exits 1 when the
 * profile methods disagree numerically, 2 on a bad argument. With VG_TORCH_PYTHON set to a
 * Python with torch 2.13, PyTorch's single-thread times on the same settings are printed beside.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolveBackend } from '../../src/backend/resolve.js';
import { BENCH_BACKENDS, type BenchBackend, availableBackends } from './backend.js';
import { LAYERS_BENCH_OPTIONS, type LayersTiming, timeLayersProfile } from './layers-bench.js';
import { formatBench } from './format.js';
import { type BenchOptions, type BenchResult, FULL_BENCH_OPTIONS, QUICK_BENCH_OPTIONS, runBench } from './profile-bench.js';
import { writeAtomic } from '../../src/report/atomic.js';
import {
  type JobsTiming,
  TARGET_JOBS_SPEEDUP,
  TARGET_TORCH_MULTIPLE,
  TARGET_TRAIN_GROWTH,
  TRAIN_CELLS,
  TRAIN_LENGTHS,
  type TorchResult,
  type TrainTiming,
  runTorch,
  timeJobs,
  timeTraining,
} from './train.js';

interface Args {
  readonly profile: BenchOptions | null;
  /** Asked for with --backend, else every one that loads (decided in main). */
  readonly backends: readonly BenchBackend[] | null;
  readonly train: boolean;
  readonly layers: boolean;
  readonly jobs: 'full' | 'reduced' | null;
  readonly jobsCap: number | undefined;
  readonly quick: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const quick = argv.includes('--quick');
  let options: BenchOptions = quick ? { ...QUICK_BENCH_OPTIONS } : { ...FULL_BENCH_OPTIONS };
  const backends: BenchBackend[] = [];
  let profile = true,
    train = true,
    layers = true,
    jobs: 'full' | 'reduced' | null = 'full';
  let jobsCap: number | undefined;
  for (const arg of argv) {
    const [key, value] = arg.split('=', 2);
    if (key === '--quick' || key === '--readme' || key === '--readme-backends') continue;
    else if (key === '--batch' && value !== undefined && /^[1-9]\d*$/.test(value)) options = { ...options, batch: Number(value) };
    else if (key === '--backend' && (BENCH_BACKENDS as readonly string[]).includes(value ?? '')) backends.push(value as BenchBackend);
    else if (key === '--no-scaling') options = { ...options, scalingLengths: [] };
    else if (key === '--no-profile') profile = false;
    else if (key === '--no-train') train = false;
    else if (key === '--no-layers') layers = false;
    else if (key === '--no-jobs') jobs = null;
    else if (key === '--jobs-plan' && (value === 'full' || value === 'reduced')) jobs = value;
    else if (key === '--jobs-cap' && value !== undefined && /^[1-9]\d*$/.test(value) && Number(value) >= 2) jobsCap = Number(value);
    else {
      process.stderr.write(
        `bench: unknown or malformed argument "${arg}"; allowed: --quick, --readme, --readme-backends, ` +
          `--batch=N (N ≥ 1), --backend=${BENCH_BACKENDS.join('|')}, --no-scaling, --no-profile, --no-train, ` +
          `--no-layers, --no-jobs, --jobs-plan=full|reduced, --jobs-cap=N (N ≥ 2)\n`,
      );
      process.exit(2);
    }
  }
  return {
    profile: profile ? { ...options, onProgress: progress } : null,
    backends: backends.length > 0 ? backends : null,
    train,
    layers,
    jobs,
    jobsCap,
    quick,
  };
}

const progress = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};
const f = (v: number | null, digits = 2): string => (v === null ? '—' : v.toFixed(digits));

function trainLines(rows: readonly TrainTiming[], backends: readonly BenchBackend[], torch: TorchResult | null): string[] {
  const lines = [
    '',
    `one training update per model (hidden 32, batch 32, input 2; forward, BPTT, clip, Adam), ` +
      `ms${torch ? `; PyTorch ${torch.version} CPU, 1 thread` : '; PyTorch: set VG_TORCH_PYTHON to compare'}:`,
  ];
  lines.push(
    `  ${'cell'.padEnd(6)}${'T'.padStart(5)}${'kernel'.padStart(9)}${backends.map((b) => `tfjs ${b}`.padStart(12)).join('')}${'PyTorch'.padStart(10)}${'kernel/PyTorch'.padStart(16)}`,
  );
  for (const r of rows) {
    lines.push(
      `  ${r.cell.padEnd(6)}${String(r.T).padStart(5)}${f(r.msPerModelUpdate).padStart(9)}${backends.map((b) => f(r.tfjs[b] ?? null).padStart(12)).join('')}${f(r.torchMs).padStart(10)}${(r.torchMs ? `${(r.msPerModelUpdate / r.torchMs).toFixed(2)}×` : '—').padStart(16)}`,
    );
  }
  lines.push(
    '  (kernel: the fused WebAssembly kernel the training loop runs, whatever the backend; tfjs: its ' +
      'reference engine on each backend, three models per loop as the plans ran before; medians)',
  );
  return lines;
}

function layersLines(rows: readonly LayersTiming[]): string[] {
  const o = LAYERS_BENCH_OPTIONS;
  const lines = [
    '',
    `gradientProfile of a LayersModel (LSTM ${o.units} units, ${o.features} features, batch ${o.batch}), ms per call (wall; each sample runs T_max/T calls):`,
  ];
  for (const r of rows) {
    const g = r.growth;
    lines.push(
      `  ${r.backend.padEnd(6)}${r.points.map((p) => `T=${p.seqLength} ${f(p.timing.medianMs)} (${g.basis} ${f(g.basis === 'main-thread CPU' ? p.timing.medianThreadMs : p.timing.medianCpuMs)}, main thread ${f(p.timing.medianThreadMs)})`.padEnd(58)).join('')}${g.basis} ` +
        `t(max T)/t(min T) ${g.timeRatio.toFixed(2)} for ${g.lengthRatio}× the steps (wall ` +
        `${g.wallTimeRatio.toFixed(2)}): ${g.linear ? 'linear' : 'NOT linear'}`,
    );
  }
  return lines;
}

function layersTargets(rows: readonly LayersTiming[]): Target[] {
  return rows.map((r) => ({
    name: `gradientProfile (LayersModel LSTM) linear in T on ${r.backend}`,
    detail:
      `${r.growth.basis} time ` +
      `t(T=${Math.max(...r.points.map((p) => p.seqLength))})/t(T=${Math.min(...r.points.map((p) => p.seqLength))}) ` +
      `= ${r.growth.timeRatio.toFixed(2)} (≤ ${r.growth.maxTimeRatio.toFixed(1)}); wall-time ratio ` +
      `${r.growth.wallTimeRatio.toFixed(2)}, process CPU ratio ${r.growth.processCpuTimeRatio.toFixed(2)}`,
    met: r.growth.linear,
  }));
}

interface Target {
  readonly name: string;
  readonly detail: string;
  readonly met: boolean | null;
}

function trainTargets(rows: readonly TrainTiming[], jobs: JobsTiming | null): Target[] {
  const out: Target[] = [];
  for (const r of rows) {
    out.push({
      name: `${r.cell} T=${r.T}: update ≤ ${TARGET_TORCH_MULTIPLE}× PyTorch`,
      detail: r.torchMs
        ? `${f(r.msPerModelUpdate)} ms vs ${f(r.torchMs)} ms (${(r.msPerModelUpdate / r.torchMs).toFixed(2)}×)`
        : 'PyTorch not run (VG_TORCH_PYTHON unset)',
      met: r.torchMs ? r.msPerModelUpdate <= TARGET_TORCH_MULTIPLE * r.torchMs : null,
    });
  }
  for (const cell of TRAIN_CELLS) {
    const at = (T: number): number => rows.find((r) => r.cell === cell && r.T === T)!.msPerModelUpdate;
    const [lo, hi] = [TRAIN_LENGTHS[0], TRAIN_LENGTHS[TRAIN_LENGTHS.length - 1]];
    if (!rows.some((r) => r.cell === cell)) continue;
    const growth = at(hi) / at(lo);
    out.push({
      name: `${cell} update linear in T: t(T=${hi})/t(T=${lo}) ≤ ${TARGET_TRAIN_GROWTH}`,
      detail: growth.toFixed(2),
      met: growth <= TARGET_TRAIN_GROWTH,
    });
  }
  if (jobs)
    out.push({
      name: `${jobs.plan} training plan (cap ${jobs.cap}): ${jobs.workers} workers ≥ ${TARGET_JOBS_SPEEDUP}× faster than 1`,
      detail: `${jobs.oneWorkerS.toFixed(1)} s → ${jobs.workersS.toFixed(1)} s (${jobs.speedup.toFixed(2)}×)`,
      met: jobs.workers >= 2 ? jobs.speedup >= TARGET_JOBS_SPEEDUP : null,
    });
  else out.push({ name: `training plan: 2 workers ≥ ${TARGET_JOBS_SPEEDUP}× faster than 1`, detail: 'not run (--no-jobs)', met: null });
  return out;
}

function benchJson(
  profile: BenchResult | null,
  train: readonly TrainTiming[],
  layers: readonly LayersTiming[],
  backends: readonly BenchBackend[],
  torch: TorchResult | null,
  jobs: JobsTiming | null,
  targets: readonly Target[],
  load: { start: number[]; end: number[] },
) {
  const rnn = profile?.timings.find((t) => t.backend === 'wasm' && t.architecture === 'rnn') ?? null;
  const growth = profile?.scaling.find((s) => s.backend === 'wasm') ?? null;
  // The time the growth verdict is judged on (LinearityCheck.basis): main-thread CPU where it can be read.
  const judged = growth?.onePass.basis ?? 'process CPU';
  const point = (T: number, which: 'onePass' | 'batched' | 'batchedKernel'): number | null => {
    const timing = growth?.points.find((p) => p.seqLength === T)?.[which];
    return (judged === 'main-thread CPU' ? timing?.medianThreadMsPerConfig : timing?.medianCpuMsPerConfig) ?? null;
  };
  return {
    machine: {
      cpus: profile?.environment.cpuCount ?? null,
      cpuModel: profile?.environment.cpuModel ?? null,
      node: process.version,
      loadAverageStart: load.start,
      loadAverageEnd: load.end,
    },
    profile: rnn
      ? {
          backend: 'wasm',
          hiddenSize: rnn.hiddenSize,
          seqLength: rnn.seqLength,
          batch: profile!.options.batch,
          // (c) is the batched profile on the kernel engine, which the gradient claims run (src/probes/gradient-profile-kernel.ts).
          documentMethodMs: rnn.perTimestep.medianMsPerConfig,
          onePassMs: rnn.onePass.medianMsPerConfig,
          batchedMsPerConfig: rnn.batchedKernel.medianMsPerConfig,
          ratio: rnn.ratioPerTimestepToBatchedKernel,
          /** (c) with tfjs ops, the reference the kernel is checked against. */
          tfjsOps: { batchedMsPerConfig: rnn.batched.medianMsPerConfig, ratio: rnn.ratioPerTimestepToBatched },
          torch: torch ? { onePassMs: torch.profileOnePassMs, documentMethodMs: torch.profileDocumentMethodMs } : null,
          growth: {
            unit: `${judged} ms per configuration`,
            onePass: { 50: point(50, 'onePass'), 400: point(400, 'onePass') },
            batched: { 50: point(50, 'batchedKernel'), 400: point(400, 'batchedKernel') },
            batchedTfjsOps: { 50: point(50, 'batched'), 400: point(400, 'batched') },
          },
        }
      : null,
    backends,
    /** Every benched backend's (a), (b), (c) on tfjs ops and (c) on the kernel engine for the demo RNN, ms per configuration (wall). */
    backendProfiles: (profile?.timings ?? [])
      .filter((t) => t.architecture === 'rnn')
      .map((t) => ({
        backend: t.backend,
        documentMethodMs: t.perTimestep.medianMsPerConfig,
        onePassMs: t.onePass.medianMsPerConfig,
        batchedTfjsOpsMsPerConfig: t.batched.medianMsPerConfig,
        batchedKernelMsPerConfig: t.batchedKernel.medianMsPerConfig,
        onePassGrowth: profile?.scaling.find((s) => s.backend === t.backend)?.onePass.timeRatio ?? null,
        onePassGrowthBasis: profile?.scaling.find((s) => s.backend === t.backend)?.onePass.basis ?? null,
      })),
    train: train.map((r) => ({ cell: r.cell, T: r.T, msPerModelUpdate: r.msPerModelUpdate, tfjsEngineMsPerModelUpdate: r.tfjs, torchMs: r.torchMs })),
    layers: layers.map((r) => ({
      backend: r.backend,
      basis: r.growth.basis,
      msPerCall: Object.fromEntries(r.points.map((p) => [p.seqLength, p.timing.medianMs])),
      growth: r.growth.timeRatio,
      wallGrowth: r.growth.wallTimeRatio,
      linear: r.growth.linear,
    })),
    torch: torch ? { version: torch.version, threads: 1 } : null,
    jobs: jobs ? { workers: jobs.workers, plan: jobs.plan, cap: jobs.cap, oneWorkerS: jobs.oneWorkerS, workersS: jobs.workersS, speedup: jobs.speedup } : null,
    targets: [...(profile?.targets ?? []).map((t) => ({ name: t.name, detail: t.detail, met: t.met })), ...targets],
  };
}

/** The README's Backends table between the backends markers: this run's speed per backend, from bench.json. */
function backendsBlock(json: ReturnType<typeof benchJson>): string {
  const m = json.machine;
  const lstm55 = json.train.find((r) => r.cell === 'lstm' && r.T === 55);
  const lengths = json.layers.length > 0 ? Object.keys(json.layers[0].msPerCall) : [];
  const lines = [
    `Measured by \`npm run bench -- --readme-backends\` (${m.cpus} cores, ${m.cpuModel}, Node ${m.node}; ` +
      `load average ${m.loadAverageStart.map((v) => v.toFixed(2)).join('/')} at the start, ` +
      `${m.loadAverageEnd.map((v) => v.toFixed(2)).join('/')} at the end), wall ms, medians:`,
    '',
  ];
  lines.push(
    `| backend | (b) profile of the demo RNN, one pass | (c) 32 demo RNNs in one pass, per RNN | one ` +
      `training update, LSTM, T = 55 | ` +
      `${lengths.map((T) => `gradientProfile, LSTM LayersModel, T = ${T}`).join(' | ')} | growth ` +
      `t(${lengths.at(-1) ?? '—'})/t(${lengths[0] ?? '—'}) |`,
  );
  lines.push(`|---|---|---|---|${lengths.map(() => '---|').join('')}---|`);
  for (const backend of json.backends) {
    const p = json.backendProfiles.find((b) => b.backend === backend);
    const l = json.layers.find((r) => r.backend === backend);
    lines.push(
      `| ${backend} | ${f(p?.onePassMs ?? null)} | ${f(p?.batchedTfjsOpsMsPerConfig ?? null, 3)} | ` +
        `${f(lstm55?.tfjsEngineMsPerModelUpdate[backend] ?? null)} | ` +
        `${lengths.map((T) => f(l?.msPerCall[T] ?? null)).join(' | ')} | ` +
        `${l ? `${l.growth.toFixed(2)} (${l.basis})` : '—'} |`,
    );
  }
  const kernel = json.backendProfiles.map((b) => b.batchedKernelMsPerConfig);
  lines.push(
    `| the fused kernel (WebAssembly, any backend) | — | ` +
      `${kernel.length > 0 ? f(Math.min(...kernel), 3) : '—'} | ${f(lstm55?.msPerModelUpdate ?? null)} | ` +
      `${lengths.map(() => '—').join(' | ')} | — |`,
  );
  return lines.join('\n');
}

/** Replaces the text between two markers of the README. */
function writeReadmeBlock(start: string, end: string, block: string): void {
  const readme = readFileSync('README.md', 'utf8');
  const a = readme.indexOf(start),
    b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${start} … ${end} markers`);
  writeAtomic('README.md', `${readme.slice(0, a + start.length)}\n${block}\n${readme.slice(b)}`);
  process.stderr.write(`[bench] updated README.md between ${start} and ${end}\n`);
}

/** The README's block between the bench markers: the run's tables, from bench.json. */
function readmeBlock(json: ReturnType<typeof benchJson>): string {
  const m = json.machine;
  const lines = [
    `Run on this machine (${m.cpus} cores, ${m.cpuModel}, Node ${m.node}; load average ` +
      `${m.loadAverageStart.map((v) => v.toFixed(2)).join('/')} at the start, ` +
      `${m.loadAverageEnd.map((v) => v.toFixed(2)).join('/')} at the end), written by \`npm run bench -- --readme\`:`,
    '',
  ];
  if (json.train.length > 0) {
    lines.push(
      `| cell | T | kernel, ms per model update | ${json.backends.map((b) => `tfjs engine on ${b}`).join(' | ')} | PyTorch CPU, 1 thread | kernel / PyTorch |`,
      `|---|---|---|${json.backends.map(() => '---|').join('')}---|---|`,
    );
    for (const r of json.train)
      lines.push(
        `| ${r.cell} | ${r.T} | ${f(r.msPerModelUpdate)} | ` +
          `${json.backends.map((b) => f(r.tfjsEngineMsPerModelUpdate[b] ?? null)).join(' | ')} | ${f(r.torchMs)} ` +
          `| ${r.torchMs ? `${(r.msPerModelUpdate / r.torchMs).toFixed(2)}×` : '—'} |`,
      );
    lines.push('');
  }
  if (json.backendProfiles.length > 0) {
    lines.push("| backend | (a) document's method | (b) one pass | (c) tfjs ops, C = 32 | (c) kernel engine | (b) t(400)/t(50) |", '|---|---|---|---|---|---|');
    for (const b of json.backendProfiles)
      lines.push(
        `| ${b.backend} | ${f(b.documentMethodMs, 1)} | ${f(b.onePassMs)} | ` +
          `${f(b.batchedTfjsOpsMsPerConfig, 3)} | ${f(b.batchedKernelMsPerConfig, 3)} | ` +
          `${b.onePassGrowth === null ? '—' : `${b.onePassGrowth.toFixed(2)} (${b.onePassGrowthBasis})`} |`,
      );
    lines.push('', 'Demo RNN (H = 100, T = 50), ms per configuration; the kernel engine computes in WebAssembly whatever the backend.', '');
  }
  if (json.layers.length > 0) {
    const lengths = Object.keys(json.layers[0].msPerCall);
    lines.push(
      `| backend | ${lengths.map((T) => `gradientProfile, T = ${T}, ms`).join(' | ')} | t(${lengths.at(-1)})/t(${lengths[0]}) | |`,
      `|---|${lengths.map(() => '---|').join('')}---|---|`,
    );
    for (const r of json.layers)
      lines.push(
        `| ${r.backend} | ${lengths.map((T) => f(r.msPerCall[T] ?? null)).join(' | ')} | ` +
          `${r.growth.toFixed(2)} (${r.basis}; wall ${r.wallGrowth.toFixed(2)}) | ` +
          `${r.linear ? 'linear' : '**not linear**'} |`,
      );
    lines.push(
      '',
      `gradientProfile of a LayersModel: an LSTM of ${LAYERS_BENCH_OPTIONS.units} units, ` +
        `${LAYERS_BENCH_OPTIONS.features} features, batch ${LAYERS_BENCH_OPTIONS.batch}, biases 3 (its ` +
        `gradient stays in float32's normal range), wall ms per call; growth on the time named.`,
      '',
    );
  }
  if (json.profile) {
    const p = json.profile;
    lines.push(
      `Profile on wasm, demo RNN (H = ${p.hiddenSize}, T = ${p.seqLength}), ms per configuration: (a) the ` +
        `document's method ${f(p.documentMethodMs, 1)}, (b) one pass ${f(p.onePassMs)}, (c) batched (C = ` +
        `${p.batch}) on the kernel engine the gradient claims run ${f(p.batchedMsPerConfig, 3)}; (a)/(c) = ` +
        `${p.ratio.toFixed(0)}×. The same (c) with tfjs ops, the reference: ` +
        `${f(p.tfjsOps.batchedMsPerConfig, 3)} ms per configuration, (a)/(c) = ` +
        `${p.tfjsOps.ratio.toFixed(0)}×${p.torch ? `. PyTorch on one thread: one backward pass ${f(p.torch.onePassMs)} ms, the document's method ${f(p.torch.documentMethodMs, 1)} ms` : ''}. ` +
        `Growth from T = 50 to 400 (${p.growth.unit}): (b) ${f(p.growth.onePass[50])} → ` +
        `${f(p.growth.onePass[400])}, (c) ${f(p.growth.batched[50], 3)} → ${f(p.growth.batched[400])} (tfjs ` +
        `ops: ${f(p.growth.batchedTfjsOps[50], 3)} → ${f(p.growth.batchedTfjsOps[400])}).`,
      '',
    );
  }
  if (json.jobs)
    lines.push(
      `The ${json.jobs.plan} training plan from scratch, cap ${json.jobs.cap} updates: 1 worker ` +
        `${json.jobs.oneWorkerS.toFixed(1)} s, ${json.jobs.workers} workers ${json.jobs.workersS.toFixed(1)} ` +
        `s (${json.jobs.speedup.toFixed(2)}×).`,
      '',
    );
  lines.push('| target | measured | |', '|---|---|---|');
  for (const t of json.targets) lines.push(`| ${t.name} | ${t.detail} | ${t.met === null ? 'not measured' : t.met ? 'met' : '**missed**'} |`);
  return lines.join('\n');
}

const args = parseArgs(process.argv.slice(2));
const load = { start: loadavg(), end: [] as number[] };
const loadable = await availableBackends();
const backends = args.backends ?? loadable;
const missing = backends.filter((b) => !loadable.includes(b));
if (missing.length > 0) {
  process.stderr.write(
    `bench: --backend ${missing.join(', ')} cannot load here (node needs @tensorflow/tfjs-node: npm i ` +
      `@tensorflow/tfjs-node, or node scripts/build-tfjs-node.mjs)\n`,
  );
  process.exit(2);
}
if (!backends.includes('node')) progress('node: not benched (@tensorflow/tfjs-node is not installed)');
const profile = args.profile ? await runBench({ ...args.profile, backends }) : null;
await resolveBackend('wasm');
const torch = args.train || args.profile ? runTorch(undefined, progress) : null;
const train = args.train ? await timeTraining(torch, args.quick, backends, progress) : [];
const layers = args.layers
  ? await timeLayersProfile({ ...LAYERS_BENCH_OPTIONS, backends, repeats: args.quick ? 3 : LAYERS_BENCH_OPTIONS.repeats, onProgress: progress })
  : [];
const jobs = args.jobs ? await timeJobs(args.jobs, progress, args.jobsCap) : null;
load.end = loadavg();
const targets = [...trainTargets(train, jobs), ...layersTargets(layers)];
const lines = profile ? formatBench(profile) : [];
if (torch && profile)
  lines.push(
    `PyTorch ${torch.version} CPU, 1 thread, same demo RNN: one backward pass ` +
      `${f(torch.profileOnePassMs, 3)} ms, the document's method ${f(torch.profileDocumentMethodMs, 2)} ms`,
  );
if (train.length > 0) lines.push(...trainLines(train, backends, torch));
if (layers.length > 0) lines.push(...layersLines(layers));
if (jobs)
  lines.push(
    '',
    `training plan "${jobs.plan}" (cap ${jobs.cap}) from scratch: 1 worker ${jobs.oneWorkerS.toFixed(1)} ` +
      `s, ${jobs.workers} workers ${jobs.workersS.toFixed(1)} s (${jobs.speedup.toFixed(2)}×)`,
  );
if (targets.length > 0) {
  lines.push('', 'training and own-model targets:');
  for (const t of targets) lines.push(`  [${t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED'}] ${t.name}: ${t.detail}`);
}
lines.push('', `load average (1/5/15 min): ${load.start.map((v) => v.toFixed(2)).join('/')} at start, ${load.end.map((v) => v.toFixed(2)).join('/')} at end`);
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync('reports', { recursive: true });
const json = benchJson(profile, train, layers, backends, torch, jobs, targets, load);
writeAtomic('reports/bench.json', `${JSON.stringify(json, null, 2)}\n`);
process.stderr.write('[bench] wrote reports/bench.json\n');
if (process.argv.includes('--readme')) writeReadmeBlock('<!-- bench:start -->', '<!-- bench:end -->', readmeBlock(json));
if (process.argv.includes('--readme-backends')) writeReadmeBlock('<!-- backends:start -->', '<!-- backends:end -->', backendsBlock(json));
if (profile && !profile.agreed) process.exitCode = 1;
