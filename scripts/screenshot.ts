/**
 * The README's screenshot of the HTML report, taken in headless Chromium (Debian's package,
 * no browser download): `npx tsx scripts/screenshot.ts [report/index.html] [out.png]`.
 * Opens the report, expands the tree, opens one claim region and saves a PNG.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../specs/report/browser.js';

const index = resolve(process.argv[2] ?? 'reports/allure-report/index.html');
const out = resolve(process.argv[3] ?? 'docs/report.png');
const focus = process.env.VG_SCREENSHOT_CLAIM ?? 'VG-DEMO-GAP';
const region = process.env.VG_SCREENSHOT_REGION ?? 'half-width-0.2';
const profile = mkdtempSync(join(tmpdir(), 'vg-chromium-'));
const browser = await puppeteer.launch({
  executablePath: chromiumPath(), headless: true,
  args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 900 });
  await page.goto(`file://${index}`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="tree-section"]', { timeout: 60_000 });
  for (let round = 0; round < 4; round++) {
    const clicked = await page.evaluate((claim, story) => {
      let n = 0;
      for (const section of document.querySelectorAll('[data-testid="tree-section"]')) {
        const text = section.textContent ?? '';
        const arrow = section.querySelector(':scope > [data-testid="tree-arrow"]') as HTMLElement | null;
        const open = section.nextElementSibling?.querySelector('[data-testid="tree-leaf"], [data-testid="tree-section"]');
        if (arrow && !open && !arrow.dataset.vgClicked && (text.includes('Empirical Demonstration') || text.includes(claim) || text.includes(story))) {
          arrow.dataset.vgClicked = '1';
          arrow.click();
          n++;
        }
      }
      return n;
    }, focus, region);
    if (clicked === 0) break;
    await new Promise((r) => setTimeout(r, 400));
  }
  await page.evaluate((claim) => {
    const leaf = [...document.querySelectorAll('[data-testid="tree-leaf"]')].find((l) => (l.textContent ?? '').includes(claim)) as HTMLElement | undefined;
    leaf?.click();
  }, focus);
  await new Promise((r) => setTimeout(r, 1500));
  await page.screenshot({ path: out as `${string}.png` });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
