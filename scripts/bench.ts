/**
 * Gradient-profile benchmark. Usage: npx tsx scripts/bench.ts [--quick] [--batch=N] [--backend=wasm|cpu]… [--no-scaling]
 * Prints the report on stdout (progress on stderr); exits 1 when (a), (b) and (c) disagree numerically.
 */
import { BENCH_BACKENDS, type BenchBackend } from '../src/bench/backend.js';
import { formatBench } from '../src/bench/format.js';
import { type BenchOptions, FULL_BENCH_OPTIONS, QUICK_BENCH_OPTIONS, runBench } from '../src/bench/profile-bench.js';

function parseArgs(argv: readonly string[]): BenchOptions {
  let options: BenchOptions = argv.includes('--quick') ? { ...QUICK_BENCH_OPTIONS } : { ...FULL_BENCH_OPTIONS };
  const backends: BenchBackend[] = [];
  for (const arg of argv) {
    const [key, value] = arg.split('=', 2);
    if (key === '--quick') continue;
    else if (key === '--batch' && value !== undefined) options = { ...options, batch: Number(value) };
    else if (key === '--backend' && (BENCH_BACKENDS as readonly string[]).includes(value ?? '')) backends.push(value as BenchBackend);
    else if (key === '--no-scaling') options = { ...options, scalingLengths: [] };
    else throw new Error(`bench: unknown argument ${arg}; use --quick, --batch=N, --backend=wasm|cpu, --no-scaling`);
  }
  if (backends.length > 0) options = { ...options, backends };
  return { ...options, onProgress: (message) => process.stderr.write(`[bench] ${message}\n`) };
}

const result = await runBench(parseArgs(process.argv.slice(2)));
process.stdout.write(`${formatBench(result).join('\n')}\n`);
if (!result.agreed) process.exitCode = 1;
