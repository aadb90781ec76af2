/**
 * Engine and experiment specs that run no tfjs arithmetic kernel (src/backend/usage.ts): pure
 * TypeScript (the float64 oracle, statistics, configurations and options, the reduced experiment
 * and tasks on the fused kernel), the import graph and the specs' own style. They give the same
 * result under every VG_BACKEND, so only the engine-wasm project runs them (vitest.config.ts), and
 * specs/setup.ts fails a listed file that runs a kernel after all.
 */
export const BACKEND_INDEPENDENT_SPECS: readonly string[] = [
  'specs/engine/config.test.ts',
  'specs/engine/decision.test.ts',
  'specs/engine/expect-messages.test.ts',
  'specs/engine/imports.test.ts',
  'specs/engine/linalg.test.ts',
  'specs/engine/log-domain.test.ts',
  'specs/engine/meaning.test.ts',
  'specs/engine/model-claim.test.ts',
  'specs/engine/options.test.ts',
  'specs/engine/oracle.test.ts',
  'specs/engine/plot.test.ts',
  'specs/engine/premise.test.ts',
  'specs/engine/run-region.test.ts',
  'specs/engine/stats.test.ts',
  'specs/experiments/budget.test.ts',
  'specs/experiments/reduced-experiment.test.ts',
  'specs/experiments/summaries.test.ts',
  'specs/experiments/tasks.test.ts',
  'specs/experiments/train.test.ts',
];

/**
 * The bench's test times every backend itself (tools/bench), whatever VG_BACKEND says: it runs
 * kernels, but the same ones in every project, so it too runs in engine-wasm only.
 */
export const SELF_SWITCHING_SPECS: readonly string[] = ['specs/engine/bench.test.ts'];
