// Removes the previous run's Allure results and evidence, so a test run reports only itself.
import { rmSync } from 'node:fs';

for (const dir of [process.env.VG_ALLURE_RESULTS ?? 'reports/allure-results', process.env.VG_EVIDENCE_DIR ?? 'reports/evidence']) {
  rmSync(dir, { recursive: true, force: true });
}
