import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's chromium (installed by .ci/run when missing), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium found (tried ${candidates.join(', ')}); install Debian's chromium package or set CHROMIUM_PATH`);
  return found;
}

/** What one headless rendering of a report showed. */
export interface RenderedReport {
  /** Titles of every test leaf, after every tree section was expanded. */
  readonly titles: string[];
  /** Titles of every tree section (numbered document sections, then claims with their verdicts), in the order shown. */
  readonly sections: string[];
  readonly bodyText: string;
  /** Requests the page tried outside file: and data: (all refused: the report must work offline). */
  readonly externalRequests: string[];
  /** Diagnostics of earlier attempts that did not render (empty when the first one did). */
  readonly failedAttempts: string[];
}

/** How long one attempt waits for the report's tree, and how many fresh browsers are tried. */
export interface RenderOptions {
  readonly timeoutMs?: number;
  readonly attempts?: number;
}

/** Headless flags for this closed network (no background connections), shared with scripts/screenshot.ts. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Opens an Allure awesome report in headless Chromium, waits for the app to render, expands
 * every tree section and returns the titles of all test leaves as the page shows them.
 *
 * Every request outside file: and data: is refused and recorded. When the tree does not appear
 * in time, the attempt's diagnostics (page errors, console errors, crash, visible text) are kept
 * and one more attempt runs in a fresh browser; if that fails too, the error carries both.
 */
export async function renderedLeafTitles(indexHtml: string, { timeoutMs = 45_000, attempts = 2 }: RenderOptions = {}): Promise<RenderedReport> {
  const failedAttempts: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await renderOnce(indexHtml, timeoutMs)), failedAttempts };
    } catch (e) {
      failedAttempts.push(`attempt ${attempt}: ${(e as Error).message}`);
      if (attempt >= attempts) throw new Error(`the report at ${indexHtml} did not render in ${attempts} fresh browser(s):\n${failedAttempts.join('\n')}`);
      console.warn(`report rendering, ${failedAttempts.at(-1)}; retrying in a fresh browser`);
    }
  }
}

/**
 * Runs `use` on a report opened in a fresh headless Chromium, once the app has drawn its tree.
 * Every request outside file: and data: is refused and recorded; when the tree does not appear in
 * time the error carries the page's errors, the refused requests and the visible text.
 */
export async function openReport<T>(
  indexHtml: string,
  use: (page: Page, externalRequests: readonly string[], problems: readonly string[]) => Promise<T>,
  timeoutMs = 45_000,
  ready = '[data-testid="tree-section"], [data-testid="tree-leaf"]',
): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'vg-chromium-'));
  const externalRequests: string[] = [],
    problems: string[] = [];
  let browser: Browser | undefined;
  try {
    // A hung page must not hold a protocol call for Puppeteer's default 180 s.
    browser = await puppeteer.launch({
      executablePath: chromiumPath(),
      headless: true,
      protocolTimeout: timeoutMs + 10_000,
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`],
    });
    const page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${String(e).slice(0, 300)}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text().slice(0, 300)}`);
    });
    page.on('error', (e) => problems.push(`page crashed: ${e.message}`));
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = req.url();
      if (url.startsWith('file:') || url.startsWith('data:')) void req.continue();
      else {
        externalRequests.push(url);
        void req.abort('blockedbyclient');
      }
    });
    try {
      await page.goto(`file://${indexHtml}`, { waitUntil: 'load', timeout: timeoutMs });
      await page.waitForSelector(ready, { timeout: timeoutMs });
    } catch (e) {
      const text = await Promise.race([
        page.evaluate(() => document.body?.innerText ?? ''),
        new Promise<string>((resolve) => setTimeout(() => resolve('(unreadable: the page did not answer within 5 s)'), 5_000)),
      ]).catch((err: Error) => `(unreadable: ${err.message})`);
      throw new Error(
        `no ${ready} within ${timeoutMs / 1000} s (${(e as Error).message}); ${problems.length} problem(s): ${problems.join(' | ') || 'none'}; ` +
          `external requests refused: ${externalRequests.join(', ') || 'none'}; ` +
          `visible text: ${JSON.stringify(text.slice(0, 400))}`,
      );
    }
    return await use(page, externalRequests, problems);
  } finally {
    await browser?.close().catch(() => undefined);
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch (e) {
      console.warn(`could not remove the Chromium profile ${profile}: ${(e as Error).message}`);
    }
  }
}

/**
 * Expands collapsed tree sections level by level, those whose title `expand` accepts (default:
 * all), until no new one opens. Returns how many were opened.
 */
export async function expandTree(page: Page, expand: (title: string) => boolean = () => true): Promise<number> {
  let total = 0;
  for (let round = 0; round < 8; round++) {
    const titles = await sectionTitles(page);
    const wanted = titles.map((t, i) => (expand(t) ? i : -1)).filter((i) => i >= 0);
    const clicked = await page.evaluate((indices: number[]) => {
      let n = 0;
      const sections = [...document.querySelectorAll('[data-testid="tree-section"]')];
      for (const i of indices) {
        const section = sections[i];
        const arrow = section?.querySelector(':scope > [data-testid="tree-arrow"]') as HTMLElement | null;
        const open = section?.nextElementSibling?.querySelector('[data-testid="tree-leaf"], [data-testid="tree-section"]');
        if (arrow && !open && !arrow.dataset.vgClicked) {
          arrow.dataset.vgClicked = '1';
          arrow.click();
          n++;
        }
      }
      return n;
    }, wanted);
    if (clicked === 0) break;
    total += clicked;
    await new Promise((r) => setTimeout(r, 300));
  }
  return total;
}

/** The titles of the tree's sections (groups: sections, claims) as shown, in order, without their counters. */
export async function sectionTitles(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="tree-section"]', (els) =>
    els.map((e) => (e.querySelector('[data-testid="tree-section-title"]')?.textContent ?? '').trim()),
  );
}

/** The titles of the tree's leaves (regions) as shown, in order. */
export async function leafTitles(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="tree-leaf-title"]', (els) => els.map((e) => e.textContent ?? ''));
}

/**
 * Opens one region's page from the report's front page: expands the tree down to the claim whose node starts with `claim`,
 * clicks the leaf whose title starts with `region —`, and waits for the page to draw. False when
 * the report holds no such region.
 */
export async function openRegion(page: Page, indexHtml: string, claim: string, region: string): Promise<boolean> {
  // A region's page replaces the tree: start from the report's front page each time.
  await page.goto(`file://${indexHtml}`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="tree-section"]');
  await expandTree(page, (t) => !t.startsWith('VG-') || t.startsWith(`${claim} `));
  const clicked = await page.evaluate(
    (claimId: string, regionId: string) => {
      const section = [...document.querySelectorAll('[data-testid="tree-section"]')].find((s) =>
        (s.querySelector('[data-testid="tree-section-title"]')?.textContent ?? '').startsWith(`${claimId} `),
      );
      const leaf = [...(section?.nextElementSibling?.querySelectorAll('[data-testid="tree-leaf"]') ?? [])].find((l) =>
        (l.querySelector('[data-testid="tree-leaf-title"]')?.textContent ?? '').startsWith(`${regionId} —`),
      ) as HTMLElement | undefined;
      leaf?.click();
      return leaf !== undefined;
    },
    claim,
    region,
  );
  if (clicked) await new Promise((r) => setTimeout(r, 1500));
  return clicked;
}

async function renderOnce(indexHtml: string, timeoutMs: number): Promise<Omit<RenderedReport, 'failedAttempts'>> {
  return openReport(
    indexHtml,
    async (page, externalRequests) => {
      await expandTree(page);
      return {
        titles: await leafTitles(page),
        sections: await sectionTitles(page),
        bodyText: await page.evaluate(() => document.body.innerText),
        externalRequests: [...externalRequests],
      };
    },
    timeoutMs,
  );
}
