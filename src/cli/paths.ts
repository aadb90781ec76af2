import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where package.json, vitest.config.ts and allurerc.mjs live). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPORTS = join(ROOT, 'reports');
export const ALLURE_RESULTS = join(REPORTS, 'allure-results');
export const ALLURE_REPORT = join(REPORTS, 'allure-report');
export const EVIDENCE = join(REPORTS, 'evidence');
export const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);
