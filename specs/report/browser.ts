import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

/** Debian's chromium (installed by .ci/run when missing), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium found (tried ${candidates.join(', ')}); install Debian's chromium package or set CHROMIUM_PATH`);
  return found;
}

/**
 * Opens an Allure awesome report in headless Chromium, waits for the app to render, expands
 * every tree section and returns the titles of all test leaves as the page shows them.
 */
export async function renderedLeafTitles(indexHtml: string): Promise<{ titles: string[]; bodyText: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'vg-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`file://${indexHtml}`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid="tree-section"]', { timeout: 60_000 });
    // Expand collapsed sections level by level until no new leaf appears.
    for (let round = 0; round < 6; round++) {
      const clicked = await page.evaluate(() => {
        let n = 0;
        for (const section of document.querySelectorAll('[data-testid="tree-section"]')) {
          const arrow = section.querySelector(':scope > [data-testid="tree-arrow"]') as HTMLElement | null;
          const open = section.nextElementSibling?.querySelector('[data-testid="tree-leaf"], [data-testid="tree-section"]');
          if (arrow && !open && !arrow.dataset.vgClicked) {
            arrow.dataset.vgClicked = '1';
            arrow.click();
            n++;
          }
        }
        return n;
      });
      if (clicked === 0) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const titles = await page.$$eval('[data-testid="tree-leaf-title"]', (els) => els.map((e) => e.textContent ?? ''));
    const bodyText = await page.evaluate(() => document.body.innerText);
    return { titles, bodyText };
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
