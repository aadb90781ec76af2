/**
 * Screenshots of the HTML report for the README and the closing note, taken in headless
 * Chromium (Debian's package, no browser download):
 * `npx tsx scripts/screenshot.ts [report/index.html] [out dir]` (default: the report of the latest
 * run reports/latest.json names) writes, into docs/ by default,
 * report-landing.png (the tree, every claim's verdict in view), report-refuted.png (VG-DEMO-GAP's
 * refuted region), report-split.png (VG-GAMMA-COMMON's split region) and report-training.png
 * (a training region, when the report holds one); a region's view opens at its evidence plot.
 */
import { join, resolve } from 'node:path';
import { expandTree, openReport, openRegion } from '../specs/report/browser.js';
import { readIndex, runDirs } from '../src/cli/runs.js';

const latest = readIndex(resolve('reports'))?.latest;
const index = resolve(process.argv[2] ?? (latest ? join(runDirs(resolve('reports'), latest).allureReport, 'index.html') : 'reports/allure-report/index.html'));
const outDir = resolve(process.argv[3] ?? 'docs');
const REGIONS: ReadonlyArray<{ readonly file: string; readonly claim: string; readonly region: string }> = [
  { file: 'report-refuted.png', claim: 'VG-DEMO-GAP', region: 'demo-as-written' },
  { file: 'report-split.png', claim: 'VG-GAMMA-COMMON', region: 'demo-config' },
  { file: 'report-training.png', claim: 'VG-GATED-LEARNS', region: 'adding/gru/lag-50' },
];

await openReport(index, async (page) => {
  await page.setViewport({ width: 1440, height: 1100 });
  await expandTree(page, (title) => !title.startsWith('VG-'));
  await page.screenshot({ path: join(outDir, 'report-landing.png') as `${string}.png` });
  console.log(`wrote ${join(outDir, 'report-landing.png')}`);
  for (const r of REGIONS) {
    if (!(await openRegion(page, index, r.claim, r.region))) {
      console.warn(`no region ${r.claim} [${r.region}] in ${index}; ${r.file} not written`);
      continue;
    }
    // The evidence plot at the top of the view; the breadcrumb above keeps the claim's and the region's verdicts in sight.
    // Allure shows attachments folded; open the plots (SVG), then bring the first to the top.
    await page.evaluate(() => {
      const plots = [...document.querySelectorAll('[data-testid="test-result-attachment"]')].filter((a) => (a.textContent ?? '').includes('.svg'));
      for (const a of plots) (a.querySelector('[data-testid="test-result-attachment-header"] > button') as HTMLElement | null)?.click();
    });
    await new Promise((r) => setTimeout(r, 1200));
    await page.evaluate(() => document.querySelector('[data-testid="test-result-attachment"]')?.scrollIntoView({ block: 'start' }));
    await new Promise((r) => setTimeout(r, 500));
    await page.screenshot({ path: join(outDir, r.file) as `${string}.png` });
    console.log(`wrote ${join(outDir, r.file)}`);
  }
});
