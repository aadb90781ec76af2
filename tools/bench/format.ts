import { type BenchResult, LINEAR_MIN_R2, type LinearityCheck, TARGET_SPEEDUP } from './profile-bench.js';

const ms = (v: number): string => (v >= 100 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);
const decades = (v: number): string => (Number.isFinite(v) ? v.toExponential(1) : String(v));

function describeFit(label: string, check: LinearityCheck): string {
  const { fit, wallFit } = check;
  return (
    `    ${label}: ${check.basis} ${ms(fit.slope * 1000)} µs/step·config + ${ms(fit.intercept)} ms, R² ${fit.r2.toFixed(4)}, ` +
    (`t(max T)/t(min T) ${check.timeRatio.toFixed(2)} for a ${check.lengthRatio}× longer sequence (linear ` +
      `if ≤ ${check.maxTimeRatio.toFixed(1)} and R² ≥ ${LINEAR_MIN_R2}): ` +
      `${check.linear ? 'linear' : 'NOT linear'}`) +
    ` [wall: R² ${wallFit.r2.toFixed(4)}, ratio ${check.wallTimeRatio.toFixed(2)}; process CPU ratio ${check.processCpuTimeRatio.toFixed(2)}]`
  );
}

/** The benchmark's report as lines of text; the last line is the (a)/(c) ratio on wasm. */
export function formatBench(result: BenchResult): string[] {
  const { options: o, environment: env } = result;
  const lines: string[] = [];
  lines.push('Gradient-profile benchmark: (a) one backward pass per timestep, (b) one-pass profile, (c) C configurations in one batched pass');
  lines.push(
    '  (c) is timed twice: on the kernel engine (the fused WebAssembly kernel, what the gradient claims ' +
      'run; the targets read it) and with tfjs ops (the reference it is checked against)',
  );
  lines.push(
    `machine: ${env.cpuCount} CPU(s), ${env.cpuModel}; node ${env.node}; tfjs ${env.tfjs}; load average ` +
      `(1/5/15 min) ${env.loadAverageStart.map((v) => v.toFixed(2)).join('/')} at start, ` +
      `${env.loadAverageEnd.map((v) => v.toFixed(2)).join('/')} at end`,
  );
  lines.push(
    `setting: H=${o.hiddenSize}, D=${o.inputSize}, T=${o.seqLength}; rnn = the document's demo (tanh, ` +
      `U(-0.1, 0.1)); lstm/gru = PyTorch's defaults; C=${o.batch} configurations (seeds s…s+${o.batch - 1}: ` +
      `different weights and inputs)`,
  );
  lines.push(
    `timing: median of ${o.repeats} runs after ${o.warmup} warm-up run(s) of each method, the methods ` +
      `interleaved run by run; weights uploaded before timing; each call ends with the gradient read back`,
  );
  lines.push(
    '        wall-clock ms, and process CPU ms (steadier on a shared machine: waiting for a core is not ' +
      "counted); growth in T is judged on the main thread's CPU time,",
  );
  lines.push("        which leaves out V8's helper threads (mostly its optimising compiler, which runs beside the loop); process CPU is shown beside it,");
  lines.push('        with (b) and (c) timed one after the other at each T');
  lines.push('');
  lines.push(`agreement (log10 norms within ${o.toleranceDecades} decades):`);
  for (const c of result.agreement) {
    lines.push(
      `  ${pad(c.backend, 5)} ${pad(c.architecture, 5)} ${pad(c.name, 56)} ${lpad(String(c.points), 4)} pts ` +
        ` max |Δ| ${lpad(decades(c.maxDiffDecades), 7)}  ` +
        `${c.passed ? 'ok' : `FAILED (${c.mismatches} mismatches)`}`,
    );
  }
  if (!result.agreed) {
    lines.push('');
    lines.push('AGREEMENT FAILED: timings skipped.');
    return lines;
  }
  if (result.timings.length > 0) {
    lines.push('');
    lines.push(`ms per configuration at H=${o.hiddenSize}, T=${o.seqLength} (medians):`);
    lines.push(
      `  ${pad('backend', 8)}${pad('arch', 6)}${lpad('(a) per-timestep', 17)}${lpad('(b) one-pass', 14)}${lpad(`(c) tfjs C=${o.batch}`, 20)}${lpad('(a)/(c)', 10)}${lpad('(b)/(c)', 9)}${lpad('| CPU ms: (a)', 14)}${lpad('(b)', 8)}${lpad('(c)', 8)}${lpad('(a)/(c)', 9)}${lpad('| (c) kernel', 13)}${lpad('(a)/(c) kernel', 16)}`,
    );
    for (const t of result.timings) {
      lines.push(
        `  ${pad(t.backend, 8)}${pad(t.architecture, 6)}${lpad(ms(t.perTimestep.medianMsPerConfig), 17)}${lpad(ms(t.onePass.medianMsPerConfig), 14)}${lpad(ms(t.batched.medianMsPerConfig), 20)}${lpad(`${t.ratioPerTimestepToBatched.toFixed(1)}×`, 10)}${lpad(`${t.ratioOnePassToBatched.toFixed(2)}×`, 9)}` +
          `${lpad(`| ${ms(t.perTimestep.medianCpuMsPerConfig)}`, 14)}${lpad(ms(t.onePass.medianCpuMsPerConfig), 8)}${lpad(ms(t.batched.medianCpuMsPerConfig), 8)}${lpad(`${t.cpuRatioPerTimestepToBatched.toFixed(1)}×`, 9)}` +
          `${lpad(`| ${ms(t.batchedKernel.medianMsPerConfig)}`, 13)}${lpad(`${t.ratioPerTimestepToBatchedKernel.toFixed(1)}×`, 16)}`,
      );
    }
    lines.push(
      '  (wall ms unless marked CPU; ratios are medians of per-run ratios; (c) per configuration = one call ' +
        '÷ C; (c) tfjs: tfjs ops; (c) kernel: wall ms, the same C profiles on the kernel engine)',
    );
  }
  for (const s of result.scaling) {
    lines.push('');
    lines.push(`growth in T on ${s.backend} (rnn, H=${o.hiddenSize}), ms per configuration:`);
    const opt = (v: number | null): string => (v === null ? 'n/a' : ms(v));
    lines.push(
      `  ${pad('T', 6)}${lpad('calls/sample', 13)}${lpad('(b) one-pass', 14)}${lpad(`(c) kernel C=${o.batch}`, 18)}${lpad('(c) tfjs', 10)}${lpad('| main-thread CPU: (b)', 24)}${lpad('(c) kernel', 12)}${lpad('(c) tfjs', 10)}${lpad('| process CPU: (b)', 20)}${lpad('(c) kernel', 12)}${lpad('(c) tfjs', 10)}`,
    );
    for (const p of s.points) {
      lines.push(
        `  ${pad(String(p.seqLength), 6)}${lpad(String(p.callsPerSample), 13)}${lpad(ms(p.onePass.medianMsPerConfig), 14)}${lpad(ms(p.batchedKernel.medianMsPerConfig), 18)}${lpad(ms(p.batched.medianMsPerConfig), 10)}` +
          `${lpad(`| ${opt(p.onePass.medianThreadMsPerConfig)}`, 24)}${lpad(opt(p.batchedKernel.medianThreadMsPerConfig), 12)}${lpad(opt(p.batched.medianThreadMsPerConfig), 10)}` +
          `${lpad(`| ${ms(p.onePass.medianCpuMsPerConfig)}`, 20)}${lpad(ms(p.batchedKernel.medianCpuMsPerConfig), 12)}${lpad(ms(p.batched.medianCpuMsPerConfig), 10)}`,
      );
    }
    lines.push(
      '    (every sample runs T_max/T calls in a row, so that each covers the same number of steps and its share of garbage collection; times are per call)',
    );
    lines.push(describeFit('(b)', s.onePass));
    lines.push(describeFit('(c) kernel', s.batchedKernel));
    lines.push(describeFit('(c) tfjs', s.batched));
  }
  if (result.targets.length > 0) {
    lines.push('');
    lines.push('targets:');
    for (const t of result.targets) lines.push(`  [${t.met ? 'met' : 'MISSED'}] ${t.name}: ${t.detail}`);
  }
  if (result.leakedTensors !== 0) lines.push(`WARNING: ${result.leakedTensors} tensors leaked during the run`);
  if (result.headline) {
    const rnn = result.timings.find((t) => t.backend === result.headline!.backend && t.architecture === 'rnn')!;
    lines.push('');
    lines.push(
      `(a)/(c) on ${result.headline.backend}, rnn H=${rnn.hiddenSize} T=${rnn.seqLength}, ` +
        `C=${result.headline.batch}, (c) on the kernel engine the gradient claims run: ` +
        `${result.headline.ratio.toFixed(1)}× (${ms(rnn.perTimestep.medianMsPerConfig)} ms vs ` +
        `${ms(rnn.batchedKernel.medianMsPerConfig)} ms per configuration; target ≥ ${TARGET_SPEEDUP}×); with ` +
        `(c) on tfjs ops, the reference: ${rnn.ratioPerTimestepToBatched.toFixed(1)}× ` +
        `(${ms(rnn.batched.medianMsPerConfig)} ms per configuration; ` +
        `${rnn.cpuRatioPerTimestepToBatched.toFixed(1)}× in CPU time)`,
    );
  }
  return lines;
}
