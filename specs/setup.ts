import * as allure from 'allure-js-commons';
import fc from 'fast-check';
import { beforeEach } from 'vitest';
import { DEFAULT_FC_SEED } from '../src/engine/options.js';

// One seed for every property in a run, from the environment, so any run replays exactly.
const seed = Number(process.env.VG_FC_SEED ?? DEFAULT_FC_SEED);
fc.configureGlobal({ seed });

// The engine projects run every engine and experiment test once per backend: a `backend`
// parameter (part of the test's identity, not excluded) keeps Allure from counting the second
// run as a retry of the first. Claim regions name their backend themselves (src/report/allure.ts).
const backend = process.env.VG_BACKEND;
const ENGINE_SPECS = /\/specs\/(engine|experiments)\//;
if (backend)
  beforeEach(async (context) => {
    if (ENGINE_SPECS.test(context.task.file.filepath)) await allure.parameter('backend', backend);
  });
