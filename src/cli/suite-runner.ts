/**
 * The child process of `vg verify`: runs the claim suite through vitest's Node API with the
 * inline configuration the parent resolved (see suite.ts). Its exit status is vitest's.
 */
import { pathToFileURL } from 'node:url';
import { HOOK_TIMEOUT_MS, type SuiteRunnerOptions, TEST_TIMEOUT_MS } from './suite.js';

const o = JSON.parse(process.argv[2] ?? '{}') as SuiteRunnerOptions;
const { startVitest } = (await import(pathToFileURL(o.vitestNode).href)) as typeof import('vitest/node');
try {
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      root: o.root,
      include: [...o.include],
      // vitest excludes node_modules by default; an installed package's suite lives there.
      exclude: [...o.exclude],
      setupFiles: [...o.setupFiles],
      pool: 'forks',
      maxWorkers: o.maxWorkers,
      testTimeout: TEST_TIMEOUT_MS,
      hookTimeout: HOOK_TIMEOUT_MS,
      watch: false,
      ...(o.shard ? { shard: o.shard } : {}),
      reporters: ['default', [o.allureReporter, { resultsDir: o.resultsDir, reportMatchers: false }]],
    },
    { cacheDir: o.cacheDir },
  );
  if (!vitest.shouldKeepServer()) await vitest.exit();
} catch (error) {
  process.stderr.write(`vg: the claim suite could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode ??= 1;
  process.exit();
}
