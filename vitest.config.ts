import { defineConfig } from 'vitest/config';

const allureResults = process.env.VG_ALLURE_RESULTS ?? 'reports/allure-results';

// Engine tests run once per backend (cpu and wasm must both pass); claim specs run on the resolved backend.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    setupFiles: ['./specs/setup.ts'],
    reporters: ['default', ['allure-vitest/reporter', { resultsDir: allureResults, reportMatchers: false }]],
    projects: [
      { extends: true, test: { name: 'engine-wasm', include: ['specs/engine/**/*.test.ts', 'specs/experiments/**/*.test.ts'], env: { VG_BACKEND: 'wasm' } } },
      { extends: true, test: { name: 'engine-cpu', include: ['specs/engine/**/*.test.ts', 'specs/experiments/**/*.test.ts'], env: { VG_BACKEND: 'cpu' } } },
      { extends: true, test: { name: 'claims', include: ['specs/claims/**/*.test.ts', 'examples/**/*.test.ts'] } },
      { extends: true, test: { name: 'cli', include: ['specs/cli/**/*.test.ts'] } },
      // Reads what the claims project wrote (Allure results are flushed when that run ends), so `npm test` runs it second.
      { extends: true, test: { name: 'report', include: ['specs/report/**/*.test.ts'] } },
    ],
  },
});
