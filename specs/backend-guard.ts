import { relative } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { kernelsRun } from '../src/backend/usage.js';
import { BACKEND_INDEPENDENT_SPECS } from './backend-independent.js';

// The engine projects' second setup file: a spec listed as backend-independent (run in one engine
// project only, vitest.config.ts) must run no tfjs arithmetic kernel.
let kernelsAtStart = 0;
beforeAll(() => {
  kernelsAtStart = kernelsRun();
});
afterAll(() => {
  const path = expect.getState().testPath;
  const file = path ? relative(process.cwd(), path) : '';
  if (!BACKEND_INDEPENDENT_SPECS.includes(file)) return;
  const ran = kernelsRun() - kernelsAtStart;
  if (ran > 0)
    throw new Error(
      `${file} is listed in specs/backend-independent.ts but ran ${ran} tfjs arithmetic kernels on ` +
        `${process.env.VG_BACKEND}: it depends on the backend, so it must run in every engine project`,
    );
});
