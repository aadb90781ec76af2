/**
 * Screenshots of the verdict site for the README, taken in headless Chromium (Debian's package):
 * `npx tsx scripts/site-screenshot.ts [site/index.html] [out dir]` (default: the site of the
 * latest run reports/latest.json names) writes, into docs/ by default, site-1280.png and
 * site-390.png (the first screen at a desktop's and a phone's width), site-claim.png (a refuted
 * claim opened) and site-panel.png (the live panel), when the site has one.
 */
import { join, resolve } from 'node:path';
import { openReport } from '../specs/report/browser.js';
import { readIndex, runDirs } from '../src/cli/runs.js';

const latest = readIndex(resolve('reports'))?.latest;
const index = resolve(process.argv[2] ?? (latest ? join(runDirs(resolve('reports'), latest).dir, 'index.html') : 'reports/index.html'));
const outDir = resolve(process.argv[3] ?? 'docs');
const shot = (name: string): `${string}.png` => join(outDir, name) as `${string}.png`;

await openReport(
  index,
  async (page, external) => {
    for (const width of [1280, 390]) {
      await page.setViewport({ width, height: width > 500 ? 900 : 844 });
      await page.screenshot({ path: shot(`site-${width}.png`) });
      console.log(`wrote ${shot(`site-${width}.png`)}`);
    }
    await page.setViewport({ width: 1280, height: 1000 });
    const refuted = await page.$eval('details.claim[data-verdict="refuted"]', (el) => el.id).catch(() => null);
    if (refuted) {
      await page.evaluate((id) => {
        const el = document.getElementById(id) as HTMLDetailsElement;
        el.open = true;
        el.scrollIntoView({ block: 'start' });
      }, refuted);
      await page.screenshot({ path: shot('site-claim.png') });
      console.log(`wrote ${shot('site-claim.png')} (${refuted})`);
    }
    if (await page.$('#vg-panel')) {
      await page.evaluate(() => document.getElementById('try')?.scrollIntoView({ block: 'start' }));
      await new Promise((r) => setTimeout(r, 500));
      await page.screenshot({ path: shot('site-panel.png') });
      console.log(`wrote ${shot('site-panel.png')}`);
    }
    if (external.length > 0) throw new Error(`the site tried outside requests: ${external.join(', ')}`);
  },
  45_000,
  'details.claim',
);
