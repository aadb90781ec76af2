import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS, PENDING } from '../../src/claims/registry.js';
import { ALLURE_RESULTS, EVIDENCE } from '../../src/cli/paths.js';
import { generateReport } from '../../src/cli/report.js';
import { sitePlan, writeReportSite } from '../../src/cli/site.js';
import { verdictWord } from '../../src/report/verdict-words.js';
import { readRecords } from '../../src/report/evidence-store.js';
import { buildSummary, type Summary } from '../../src/report/summary.js';
import { openReport } from './browser.js';
import { panelMismatches, setPanelControl, waitForPanel } from './site-panel-driver.js';
import { measureProfile } from '../../src/cli/profile.js';

// Reads the results and records the claims project of this npm test wrote (as report.test.ts does),
// builds their Allure report and the verdict site beside it, and reads the site as a reader would.
const RESULTS = process.env.VG_REPORT_RESULTS ?? ALLURE_RESULTS;
const RECORDS = process.env.VG_REPORT_EVIDENCE ?? EVIDENCE;
const root = mkdtempSync(join(tmpdir(), 'vg-site-'));
const allureReport = join(root, 'allure-report');
let index = '';
let summary: Summary;

/** The site's page: opened once it has drawn its claims, every request outside file: and data: refused and recorded. */
const openSite = <T>(use: (page: Page, external: readonly string[]) => Promise<T>, hash = ''): Promise<T> =>
  openReport(`${index}${hash}`, use, 45_000, 'details.claim');

describe('the verdict site of this run, as a reader sees it', () => {
  beforeAll(async () => {
    summary = buildSummary(CLAIMS, PENDING, await readRecords(RECORDS), 424242);
    writeFileSync(join(root, 'claims.json'), JSON.stringify(summary));
    generateReport([RESULTS], allureReport, { history: false });
    const plan = sitePlan([RESULTS], allureReport, [join(root, 'claims.json')]);
    if (plan === null) throw new Error('no site plan for a named claims.json');
    index = await writeReportSite(plan);
  }, 180_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('should be written beside the Allure report, from the claims.json it was given', () => {
    expect(index).toBe(join(root, 'index.html'));
    expect(readFileSync(index, 'utf8')).toContain(summary.claims[0]?.statement.slice(0, 40).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });

  it('should name every refuted claim on its first screen, marked as refuted, with the counts per verdict of claims.json', async () => {
    const seen = await openSite(async (page, external) => {
      await page.setViewport({ width: 1280, height: 900 });
      const lines = await page.$$eval('details.claim', (els) =>
        els.map((el) => {
          const s = el.querySelector(':scope > summary') as HTMLElement;
          return {
            id: el.id,
            verdict: (el as HTMLElement).dataset.verdict,
            text: s.innerText,
            visible: s.offsetParent !== null,
            badge: (s.querySelector('.badge') as HTMLElement | null)?.innerText ?? '',
          };
        }),
      );
      const totals = await page.$$eval('#totals li', (els) =>
        els.map((el) => ({
          verdict: (el as HTMLElement).dataset.verdict,
          count: Number((el as HTMLElement).dataset.count),
          text: (el as HTMLElement).innerText,
        })),
      );
      return { lines, totals, external: [...external] };
    });
    for (const c of summary.claims.filter((x) => x.measured === 'refuted')) {
      const line = seen.lines.find((l) => l.id === c.id);
      expect(line, c.id).toBeDefined();
      expect(line?.visible, c.id).toBe(true);
      expect(line?.badge.toLowerCase(), c.id).toBe('refuted');
      expect(line?.text, c.id).toContain(c.statement);
    }
    expect(seen.lines.map((l) => l.id).sort()).toEqual(summary.claims.map((c) => c.id).sort());
    for (const c of summary.claims) expect(seen.lines.find((l) => l.id === c.id)?.verdict, c.id).toBe(c.measured);
    for (const [verdict, n] of Object.entries(summary.totals).filter(([, n]) => n > 0)) {
      const shown = seen.totals.find((t) => t.verdict === verdict);
      expect(shown?.count, verdict).toBe(n);
      expect(shown?.text.replace(/\s+/g, ' ').toLowerCase(), verdict).toBe(`${verdictWord(verdict)} ${n}`);
    }
    expect(seen.external).toEqual([]);
  }, 120_000);

  it("should open every claim's detail from its line, and from its link", async () => {
    const opened = await openSite(async (page) => {
      const ids = await page.$$eval('details.claim', (els) => els.map((e) => e.id));
      const out: Array<{ id: string; byClick: boolean; byLink: boolean }> = [];
      for (const id of ids) {
        const byClick = await page.evaluate((claim) => {
          const el = document.getElementById(claim) as HTMLDetailsElement;
          (el.querySelector(':scope > summary .statement') as HTMLElement).click();
          const detail = el.querySelector('.detail') as HTMLElement;
          const ok = el.open && detail.offsetHeight > 0 && /Predicate:/.test(detail.innerText);
          el.open = false;
          return ok;
        }, id);
        await page.evaluate((claim) => {
          location.hash = `#${claim}`;
        }, id);
        await page.waitForFunction((claim) => (document.getElementById(claim) as HTMLDetailsElement).open, { timeout: 5_000 }, id).catch(() => undefined);
        const byLink = await page.evaluate((claim) => (document.getElementById(claim) as HTMLDetailsElement).open, id);
        out.push({ id, byClick, byLink });
      }
      return out;
    });
    expect(opened.filter((o) => !o.byClick || !o.byLink)).toEqual([]);
    expect(opened.length).toBe(summary.claims.length);
  }, 120_000);

  it('should link each region to an Allure result that exists, and every link to the Allure report should resolve', async () => {
    const links = await openSite((page) =>
      page.$$eval('a', (as) => as.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '', absolute: (a as HTMLAnchorElement).href }))),
    );
    const allure = links.filter((l) => l.href.includes('allure-report/'));
    expect(allure.length).toBeGreaterThan(summary.claims.length);
    for (const l of allure) expect(existsSync(fileURLToPath(l.absolute.split('#')[0] as string)), l.href).toBe(true);
    const regionLinks = allure.filter((l) => l.href.includes('#'));
    const regions = summary.claims.reduce((n, c) => n + c.regions.length, 0);
    expect(regionLinks.length, 'regions with a link to their Allure result').toBe(regions);
    // Each fragment is a result id of the generated report (its registry of test results)…
    const registry = (JSON.parse(readFileSync(join(allureReport, 'test-results.json'), 'utf8')) as { byId: Record<string, unknown> }).byId;
    expect(regionLinks.filter((l) => !((l.href.split('#')[1] ?? '') in registry)).map((l) => l.href)).toEqual([]);
    // …and following one from the site opens that region's page (two of them, a click each: the first and a refuted one).
    const refuted = summary.claims.flatMap((c) => c.regions).find((r) => r.measured === 'refuted');
    const wanted = [summary.claims[0]?.regions[0], refuted]
      .filter((r) => r !== undefined)
      .map((r) => ({ key: `${r.claimId} [${r.regionId}]`, region: r.regionId }));
    for (const w of wanted) {
      const title = await openSite(async (page) => {
        const href = await page.$eval(`li.region[data-region="${w.key}"] a.allure-link`, (a) => (a as HTMLAnchorElement).href);
        await page.goto(href, { waitUntil: 'load' });
        await page.reload({ waitUntil: 'load' });
        await page.waitForSelector('[data-testid="test-result-info-title"]', { timeout: 30_000 });
        return page.$eval('[data-testid="test-result-info-title"]', (e) => (e.textContent ?? '').trim());
      });
      expect(title, w.key).toContain(w.region);
    }
  }, 180_000);

  it('should redraw the live panel when a control changes, with the numbers vg profile gives on the same configuration (within 1e-4 decades)', async () => {
    const { before, after, external } = await openSite(async (page, ext) => {
      const first = await waitForPanel(page);
      const changed = await setPanelControl(page, 'seqLength', 80);
      const lstm = await setPanelControl(
        page,
        'cell',
        await page.$eval(
          '#vg-panel select[name="cell"]',
          (s) => [...(s as HTMLSelectElement).options].find((o) => /lstm/i.test(o.textContent ?? ''))?.value ?? '',
        ),
      );
      return { before: first, after: [changed, lstm], external: [...ext] };
    });
    expect(before.state).toBe('ready');
    for (const reading of [before, ...after]) {
      expect(reading.state).toBe('ready');
      expect(reading.config).not.toBeNull();
      expect(panelMismatches(reading, (await measureProfile(reading.config!)).float64)).toEqual([]);
    }
    expect(after[0]?.rows.length).toBe(80);
    expect(after[0]?.revision).toBeGreaterThan(before.revision);
    expect(after[1]?.config?.architecture).toBe('lstm');
    expect(external).toEqual([]);
  }, 120_000);

  it('should filter by verdict, section, cell type and words, and say how many claims it shows', async () => {
    const refuted = summary.claims.filter((c) => c.measured === 'refuted').length;
    const shown = await openSite(async (page) => {
      await page.select('select[name="verdict"]', 'refuted');
      const byVerdict = await page.$$eval('details.claim:not(.hidden)', (els) => els.map((e) => (e as HTMLElement).dataset.verdict));
      const label = await page.$eval('#shown', (e) => e.textContent ?? '');
      await page.select('select[name="verdict"]', '');
      await page.type('input[name="q"]', 'lstm');
      const byWords = await page.$$eval('details.claim:not(.hidden)', (els) => els.map((e) => e.id));
      return { byVerdict, label, byWords };
    });
    expect(shown.byVerdict).toEqual(Array(refuted).fill('refuted'));
    expect(shown.label).toBe(`${refuted} of ${summary.claims.length} claims shown`);
    expect(shown.byWords.length).toBeGreaterThan(0);
    expect(shown.byWords.length).toBeLessThan(summary.claims.length);
  }, 120_000);
});
