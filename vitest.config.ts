import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BACKEND_INDEPENDENT_SPECS, SELF_SWITCHING_SPECS } from './specs/backend-independent.js';

const allureResults = process.env.VG_ALLURE_RESULTS ?? 'reports/allure-results';
const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
// By path: vite resolves a reporter name from the root's parent directory, where this package's
// own optional peers (allure-vitest is one) resolve to a stub that throws.
const allureReporter = createRequire(import.meta.url).resolve('allure-vitest/reporter');

// Engine tests run once per backend (wasm, cpu and node must all pass), except those whose result no
// backend changes (specs/backend-independent.ts), which run once. Claim specs run on wasm, the
// backend of the published results, unless VG_BACKEND says otherwise (the report project's re-runs).
const ENGINE_SPECS = ['specs/engine/**/*.test.ts', 'specs/experiments/**/*.test.ts'];
const ONCE = [...BACKEND_INDEPENDENT_SPECS, ...SELF_SWITCHING_SPECS];
export default defineConfig({
  // examples/ import the package by its name, as a user's code does; here that name means the sources.
  resolve: {
    alias: [
      { find: /^vanishing-gradients-verify\/testing\/vitest$/, replacement: source('./src/testing/vitest.ts') },
      { find: /^vanishing-gradients-verify$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // VG_CPU_PROFILE=DIR: a CPU profile per spec file (specs/cpu-profile.ts; tools/bench/profile-top.mjs sums them).
    setupFiles: ['./specs/setup.ts', ...(process.env.VG_CPU_PROFILE ? ['./specs/cpu-profile.ts'] : [])],
    // Region records are written only when asked (the engine options' evidenceDir); the report tests read this run's.
    env: { VG_OPTIONS: process.env.VG_OPTIONS ?? JSON.stringify({ evidenceDir: 'reports/evidence' }) },
    reporters: ['default', [allureReporter, { resultsDir: allureResults, reportMatchers: false }]],
    projects: [
      // The engine specs share each worker's modules (isolate: false): tfjs and the sources load once per worker instead
      // of once per file, which took a third of these projects' CPU time. They mock nothing and set no global but the
      // backend, which each project pins (the bench restores it after switching); backend-guard counts kernels per file.
      {
        extends: true,
        test: { name: 'engine-wasm', include: ENGINE_SPECS, isolate: false, setupFiles: ['./specs/backend-guard.ts'], env: { VG_BACKEND: 'wasm' } },
      },
      { extends: true, test: { name: 'engine-cpu', include: ENGINE_SPECS, exclude: ONCE, isolate: false, env: { VG_BACKEND: 'cpu' } } },
      { extends: true, test: { name: 'engine-node', include: ENGINE_SPECS, exclude: ONCE, isolate: false, env: { VG_BACKEND: 'node' } } },
      {
        extends: true,
        test: { name: 'claims', include: ['specs/claims/**/*.test.ts', 'examples/**/*.test.ts'], env: { VG_BACKEND: process.env.VG_BACKEND ?? 'wasm' } },
      },
      { extends: true, test: { name: 'cli', include: ['specs/cli/**/*.test.ts'] } },
      // Reads what the claims project wrote (Allure results are flushed when that run ends), so `npm test` runs it second.
      { extends: true, test: { name: 'report', include: ['specs/report/**/*.test.ts'] } },
      // Packs this package, installs the tarball into a fresh project and follows the README there.
      { extends: true, test: { name: 'consumer', include: ['specs/consumer/**/*.test.ts'] } },
    ],
  },
});
