import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIFFERS_CATEGORY, generateReport } from '../../src/cli/report.js';
import { allureLinks } from '../../src/report/allure-links.js';
import { REPORT_TITLE, describeRun, reportTitle } from '../../src/report/run-label.js';
import { openReport } from './browser.js';
import { FIXTURE_REGIONS, FIXTURE_SELECTION, type FixtureRun, writeFixtureRun } from './fixture-results.js';

// A report generated from a hand-written partial run (specs/report/fixture-results.ts): what a reader sees of each verdict.
const parent = mkdtempSync(join(tmpdir(), 'vg-published-'));
let run: FixtureRun;
let index = '';
/** What Allure wrote: its registry of test results (id → status, name) and the summary of the report (name, stats). */
let registry: Record<string, { readonly name: string; readonly status: string }> = {};
let summary: { readonly name: string; readonly stats: Readonly<Record<string, number>> };
let before = '';
/** Each region's page opened by its link from outside: `CLAIM [region]` → what the page showed. */
let pages = new Map<string, { readonly hash: string; readonly title: string; readonly status: string; readonly error: string; readonly text: string }>();
let front = '',
  categories = '';
/** Requests outside file: and data: the pages tried (all refused). */
let external: string[] = [];

const contents = (dir: string): string =>
  readdirSync(dir)
    .sort()
    .map((n) => `${n}:${readFileSync(join(dir, n), 'utf8')}`)
    .join('\n');
const key = (r: { readonly claim: string; readonly region: string }): string => `${r.claim} [${r.region}]`;

beforeAll(async () => {
  run = writeFixtureRun(parent);
  before = contents(run.results);
  index = generateReport([run.results], join(run.dir, 'allure-report'), { history: false });
  const out = join(run.dir, 'allure-report');
  registry = (JSON.parse(readFileSync(join(out, 'test-results.json'), 'utf8')) as { byId: typeof registry }).byId;
  summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as typeof summary;
  const links = allureLinks(run.results);
  ({ pages, front, categories, external } = await openReport(index, async (page, externalRequests) => {
    const front = await page.evaluate(() => document.body.innerText);
    const seen = new Map<string, { hash: string; title: string; status: string; error: string; text: string }>();
    for (const [k, href] of links) {
      // As a link from another page: a fresh load of the report at that fragment.
      await page.goto(`file://${index}${href}`, { waitUntil: 'load' });
      await page.reload({ waitUntil: 'load' });
      await page.waitForSelector('[data-testid="test-result-info-title"]', { timeout: 30_000 });
      seen.set(
        k,
        await page.evaluate(() => ({
          hash: location.hash,
          title: (document.querySelector('[data-testid="test-result-info-title"]')?.textContent ?? '').trim(),
          status: [...document.querySelectorAll('[data-testid^="test-result-status-"]')]
            .map((e) => e.getAttribute('data-testid')!.replace('test-result-status-', ''))
            .join(','),
          error: (document.querySelector('[data-testid="test-result-error-message"]')?.textContent ?? '').trim(),
          text: document.body.innerText,
        })),
      );
    }
    await page.goto(`file://${index}#categories`, { waitUntil: 'load' });
    await page.reload({ waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, 1500));
    return { pages: seen, front, categories: await page.evaluate(() => document.body.innerText), external: [...externalRequests] };
  }));
}, 240_000);
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('the published report of a run with refuted, holding, split, broken and regressed regions', () => {
  it('should show a refuted region as failed and a holding one as passed, whatever vitest said', () => {
    const status = new Map(FIXTURE_REGIONS.map((r) => [key(r), pages.get(key(r))?.status]));
    const said = `statuses shown: ${JSON.stringify([...status])}`;
    expect(status.get('VG-FIX-REFUTED [as-written]'), said).toBe('failed');
    expect(status.get('VG-FIX-REGRESSED [lstm]'), said).toBe('failed');
    expect(status.get('VG-FIX-HOLDS [small-weights]'), said).toBe('passed');
    expect(status.get('VG-FIX-SPLIT [any-scale]'), said).toBe('skipped');
    expect(status.get('VG-FIX-BROKEN [overflow]'), said).toBe('broken');
    const passedNames = Object.values(registry)
      .filter((t) => t.status === 'passed')
      .map((t) => t.name);
    expect(
      passedNames.filter((n) => /refuted/.test(n)),
      `results Allure counts as passed: ${passedNames.join(' | ')}`,
    ).toEqual([]);
    expect(summary.stats, "the landing page's counts (the overview stays passed)").toEqual({ total: 6, passed: 2, failed: 2, broken: 1, skipped: 1 });
  });

  it("should start a refuted region's page with its verdict in words", () => {
    const page = pages.get('VG-FIX-REFUTED [as-written]');
    expect(page?.error.startsWith('refuted: 0 of 25 cases hold (as registered)'), `error block of the refuted region: ${page?.error}`).toBe(true);
    expect(pages.get('VG-FIX-SPLIT [any-scale]')?.error, 'error block of the split region').toMatch(/^split: 12 of 25 cases hold/);
  });

  it('should label and categorise a region whose verdict differs from the registered one, and only that one', () => {
    const regressed = pages.get('VG-FIX-REGRESSED [lstm]')?.text ?? '';
    expect(regressed, "the regressed region's page").toContain(`Category: ${DIFFERS_CATEGORY}`);
    expect(regressed, "the regressed region's labels").toMatch(/expectation\s+differs \(registered holds\)/);
    const refuted = pages.get('VG-FIX-REFUTED [as-written]')?.text ?? '';
    expect(refuted, 'a refutation that was registered').toContain('Category: Regions by verdict');
    expect(refuted, 'its labels').toMatch(/expectation\s+matches/);
    expect(categories, `the Categories tab: ${categories.slice(0, 600)}`).toContain(DIFFERS_CATEGORY);
    expect(categories, 'the Categories tab').toContain('Regions by verdict');
    expect(categories, 'the Categories tab').not.toContain('Measured differs from the expectation');
  });

  it('should name the partial run it shows', () => {
    const title = reportTitle(describeRun('partial', FIXTURE_SELECTION));
    expect(title, 'the expected title').toContain('Partial run: claims VG-FIX-REFUTED, VG-FIX-HOLDS');
    expect(summary.name, "the report's name").toBe(title);
    expect(front, `the landing page: ${front.slice(0, 400)}`).toContain(title);
  });

  it("should open each region's own page from its link (src/report/allure-links.ts)", () => {
    const wrong = FIXTURE_REGIONS.filter((r) => {
      const id = allureLinks(run.results).get(key(r))?.slice(1) ?? '(no link)';
      return pages.get(key(r))?.title !== registry[id]?.name || !pages.get(key(r))?.title.startsWith(`${r.region} —`);
    }).map((r) => `${key(r)} opened ${JSON.stringify(pages.get(key(r)))}`);
    expect(pages.size, 'regions linked').toBe(FIXTURE_REGIONS.length);
    expect(wrong, 'links that did not open their region').toEqual([]);
    expect(external, 'requests outside file: and data: while following the links').toEqual([]);
  });

  it("should leave the run's own results as vitest wrote them", () => {
    expect(contents(run.results) === before, "the run's allure-results changed while the report was generated").toBe(true);
  });
});

describe('the report of results no run.json describes', () => {
  it('should say it merges N runs and what they hold', () => {
    const merged = mkdtempSync(join(tmpdir(), 'vg-merged-'));
    try {
      const a = join(merged, 'shard-1'),
        b = join(merged, 'shard-2');
      cpSync(run.results, a, { recursive: true });
      cpSync(writeFixtureRun(join(merged, 'second')).results, b, { recursive: true });
      generateReport([a, b], join(merged, 'report'), { history: false });
      const { name } = JSON.parse(readFileSync(join(merged, 'report', 'summary.json'), 'utf8')) as { name: string };
      expect(name).toBe(`${REPORT_TITLE} — merged results of 2 runs: 10 regions of 5 claims in 1 section, backend cpu`);
    } finally {
      rmSync(merged, { recursive: true, force: true });
    }
  }, 120_000);
});
