import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS, PENDING, TRAINING_CLAIM_IDS } from '../../src/claims/registry.js';
import { SECTIONS } from '../../src/engine/types.js';
import { ALLURE_RESULTS, EVIDENCE, REPORTS } from '../../src/cli/paths.js';
import { OVERVIEW_FILE, generateReport } from '../../src/cli/report.js';
import { claimNode, sectionEpic } from '../../src/report/allure-labels.js';
import { allureLinks } from '../../src/report/allure-links.js';
import { REPORT_TITLE } from '../../src/report/run-label.js';
import { verdictStatus } from '../../src/report/verdict-status.js';
import { TRAINING_CHART_PREFIX, readRecords } from '../../src/report/evidence-store.js';
import type { RegionRecord } from '../../src/report/region-record.js';
import { buildSummary, roleOf, type Summary } from '../../src/report/summary.js';
import { expandTree, leafTitles, openReport, openRegion, renderedLeafTitles, sectionTitles } from './browser.js';

// Runs in its own vitest run after the claims project (see package.json's test script): reads the results and evidence it wrote.
// VG_REPORT_RESULTS and VG_REPORT_EVIDENCE point it at another run's (e.g. a few claim specs run into /tmp).
const RESULTS = process.env.VG_REPORT_RESULTS ?? ALLURE_RESULTS;
const RECORDS = process.env.VG_REPORT_EVIDENCE ?? EVIDENCE;
const out = mkdtempSync(join(tmpdir(), 'vg-report-'));
let index = '';
let html = '';
/** What a reader sees without opening a region: the tree with its sections expanded, claims left closed. */
let reader: { sections: string[]; leaves: string[]; globalAttachments: string; firstLabel: string | null; externalRequests: string[] };
let titles: string[] = [];
let summary: Summary;
/** Every region record of the run: the registry's claims and a user's own (examples/ run in the claims project too). */
let records: RegionRecord[] = [];
/** The training overview (summary charts, specs/claims/11-training.test.ts) is the one leaf that is not a region. */
const isOverview = (title: string): boolean => title.startsWith('Training overview');
/** A region's leaf as {@link leafCounts} reads it: `[boundary probe: ]region — holds/counted`, the count of the cases its verdict reads (holds, fails, broken). */
const leafOf = (r: RegionRecord): string =>
  `${roleOf(r) === 'boundary' ? 'boundary probe: ' : ''}${r.regionId} — ${r.counts.holds}/${r.counts.holds + r.counts.fails + r.counts.broken}`;
/** A leaf's title without its verdict mark and key number. */
const leafCounts = (title: string): string => title.replace(/ — [^—]*? (\d+\/\d+).*$/, ' — $1');

describe('the HTML report of this run, as a reader sees it', () => {
  beforeAll(async () => {
    records = await readRecords(RECORDS);
    summary = buildSummary(CLAIMS, PENDING, records, 424242);
    // The committed verdict matrix is older than this run's results, so it is named: by default a matrix older than the results is left out as stale.
    index = generateReport([RESULTS], out, { history: false, overview: join(dirname(RESULTS), OVERVIEW_FILE) });
    html = readFileSync(index, 'utf8');
    reader = await openReport(index, async (page, externalRequests) => {
      // Sections open, claims closed: a claim node's title carries its verdict after " — ", a section's does not.
      await expandTree(page, (title) => !title.includes(' — '));
      const sections = await sectionTitles(page),
        leaves = await leafTitles(page);
      await page.click('[data-testid="nav-tab-globalAttachments"]');
      await new Promise((r) => setTimeout(r, 800));
      const globalAttachments = await page.evaluate(() => document.body.innerText);
      const claim = summary.claims[0];
      await openRegion(page, index, claim.id, claim.regions[0].regionId);
      // The parameters sit in a metadata list; the labels are the keys after it, the first the one a reader sees first.
      const firstLabel = await page.$$eval(
        '[data-testid="metadata-item-key"]',
        (keys) => (keys.find((k) => !k.closest('[data-testid="metadata-list"]'))?.textContent ?? '').trim() || null,
      );
      return { sections, leaves, globalAttachments, firstLabel, externalRequests: [...externalRequests] };
    });
    ({ titles } = await renderedLeafTitles(index));
  }, 300_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('should show every claim of this run with its verdict in the tree, without opening a region', () => {
    const claimNodes = reader.sections.filter((t) => t.startsWith('VG-'));
    const missing = summary.claims.filter((c) => !claimNodes.includes(claimNode(CLAIMS.find((k) => k.id === c.id)!))).map((c) => `${c.id} (${c.measured})`);
    expect(missing, `claims whose verdict is not in the tree; claim nodes shown: ${claimNodes.join(' | ')}`).toEqual([]);
    // The node shows the registry's expectation; it is the measured verdict because the run passed.
    const wrong = summary.claims.filter((c) => c.measured !== c.expected).map((c) => `${c.id}: expected ${c.expected}, measured ${c.measured}`);
    expect(wrong, 'claims whose measured verdict differs from the one their tree node shows').toEqual([]);
    // Allure's awesome tree opens every group holding a failed or broken result (3.18 has no option against it): a
    // claim with a refuted or numerically broken region is open at first sight, the others stay closed.
    const open = new Set(records.filter((r) => ['failed', 'broken'].includes(verdictStatus(r.measured))).map((r) => r.claimId));
    const leaves = reader.leaves
      .filter((t) => !isOverview(t))
      .map(leafCounts)
      .sort();
    expect(leaves, 'region leaves visible before any claim was opened: those of claims with a refuted or broken region').toEqual(
      records
        .filter((r) => open.has(r.claimId))
        .map(leafOf)
        .sort(),
    );
  });

  it('should show every region of every claim of this run, named by its measured verdict and counts', () => {
    const expected = records.map(leafOf);
    const regions = titles.filter((t) => !isOverview(t));
    const shown = regions.map(leafCounts);
    const missing = expected.filter((e) => !shown.includes(e));
    expect(missing, `regions absent from the rendered report (${titles.length} leaves rendered)`).toEqual([]);
    expect(regions.length, `region leaves rendered ${regions.length}, regions measured ${expected.length}`).toBe(expected.length);
  });

  it('should give every region the status of its measured verdict, never that of its expectation match, and name what ran', () => {
    // Allure's registry of the results it shows (id → status); a region's id comes from its link (src/report/allure-links.ts).
    const shown = (JSON.parse(readFileSync(join(out, 'test-results.json'), 'utf8')) as { byId: Record<string, { status: string }> }).byId;
    const links = allureLinks(RESULTS);
    const wrong = records.flatMap((r) => {
      const key = `${r.claimId} [${r.regionId}]`,
        status = shown[links.get(key)?.slice(1) ?? '']?.status;
      return status === verdictStatus(r.measured) ? [] : [`${key}: ${r.measured}, shown ${status ?? 'nowhere'}`];
    });
    expect(
      wrong,
      "regions whose status in the report is not their verdict's (holds passed, refuted failed, numerically broken broken, others skipped)",
    ).toEqual([]);
    const { name } = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { name: string };
    expect(name.startsWith(`${REPORT_TITLE} — `) && name.length > REPORT_TITLE.length + 10, `the report's name: ${name}`).toBe(true);
  });

  it('should leave engine, CLI and harness tests out of the tree', () => {
    const notRegions = titles.filter((t) => !isOverview(t) && !/^(boundary probe: )?\S+ — \S+ /.test(t));
    expect(notRegions, 'leaves that are not claim regions').toEqual([]);
  });

  it("should list the sections in the document's order, numbered", () => {
    const shown = reader.sections.filter((t) => !t.startsWith('VG-'));
    const documentOrder = [...SECTIONS].map(sectionEpic).filter((s) => shown.includes(s));
    expect(
      shown.filter((s) => /^\d\d · /.test(s)),
      `sections as shown: ${shown.join(' | ')}`,
    ).toEqual(documentOrder);
    expect(documentOrder.length, 'document sections in the tree').toBe(
      new Set(summary.claims.map((c) => c.section).filter((s) => (SECTIONS as readonly string[]).includes(s))).size,
    );
  });

  it("should show the verdict first among a region's labels", () => {
    expect(reader.firstLabel, `the first label a reader sees: ${reader.firstLabel}`).toBe('verdict');
  });

  it('should carry the overview (reports/verdicts.svg) as a global attachment', () => {
    const overview = join(dirname(RESULTS), OVERVIEW_FILE);
    expect(existsSync(overview), `${overview} is missing: \`npm run verify\` writes it beside allure-results`).toBe(true);
    expect(reader.globalAttachments, `the global attachments tab reads: ${reader.globalAttachments.slice(0, 500)}`).toContain(OVERVIEW_FILE);
  });

  it('should carry the training summary charts beside the verdict matrix when the run trained models', () => {
    const evidence = join(dirname(RESULTS), 'evidence');
    const charts = existsSync(evidence) ? readdirSync(evidence).filter((f) => f.startsWith(TRAINING_CHART_PREFIX)) : [];
    expect(charts.length, `training charts in ${evidence}: [${charts.join(', ')}]; the training spec writes them`).toBeGreaterThan(0);
    for (const chart of charts)
      expect(reader.globalAttachments, `${chart} among the global attachments: ${reader.globalAttachments.slice(0, 500)}`).toContain(chart);
  });

  it('should work offline: no request leaves file: and data:, and no analytics tag is left in the page', () => {
    expect(reader.externalRequests, 'requests the rendered report tried to send out').toEqual([]);
    const tags = html.match(/.{0,40}(?:googletagmanager|gtag\().{0,40}/g) ?? [];
    expect(html, `analytics tags in the page: ${JSON.stringify(tags)}`).not.toMatch(/googletagmanager|gtag\(/);
    const urls = [...new Set(html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [])].filter((u) => !u.startsWith('http://www.w3.org/'));
    expect(urls, 'absolute URLs in the report other than XML namespaces').toEqual([]);
  });
});

describe('vg report --out DIR', () => {
  it('should write nothing outside DIR, keep its history inside it, and leave no staging behind', () => {
    const parent = mkdtempSync(join(tmpdir(), 'vg-out-'));
    try {
      const dir = join(parent, 'report');
      generateReport([RESULTS], dir);
      generateReport([RESULTS], dir);
      expect(readdirSync(parent), `entries beside ${dir}`).toEqual(['report']);
      const inside = readdirSync(dir).sort();
      expect(
        inside.filter((n) => n.startsWith('.')),
        `staging left in ${dir}`,
      ).toEqual([]);
      expect(inside, `files in ${dir}`).toContain('index.html');
      const runs = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n').length;
      expect(runs, 'history entries after two reports').toBe(2);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 240_000);
});

describe('the published summary (reports/claims.json)', () => {
  it('should hold the verdicts this run measured, region by region', async () => {
    const records = await readRecords(EVIDENCE);
    const fresh = buildSummary(CLAIMS, PENDING, records, 424242);
    expect(fresh.mismatches, 'regions whose measured verdict differs from the registered expectation').toEqual([]);
    const file = join(REPORTS, 'claims.json');
    expect(existsSync(file), 'reports/claims.json is missing: run `npm run verify` and commit it').toBe(true);
    const published = JSON.parse(readFileSync(file, 'utf8')) as Summary;
    // A sweep publishes pooled counts with each seed's run beside them: this run (seed 424242) is compared
    // with that seed's run, and its verdict with the pooled one (a stable sweep gives every seed the same).
    const verdicts = (s: Summary) =>
      new Map<string, string>(
        s.claims.flatMap((c) =>
          c.regions.map((r) => {
            const seedRun = (r as { sweep?: ReadonlyArray<{ seed: number; verdict: string; holds: number; fails: number; broken: number }> }).sweep?.find(
              (x) => x.seed === s.seed,
            );
            return [
              `${c.id} [${r.regionId}]`,
              seedRun
                ? `${r.measured} ${seedRun.holds}/${seedRun.fails}/${seedRun.broken}`
                : `${r.measured} ${r.counts.holds}/${r.counts.fails}/${r.counts.broken}`,
            ] as const;
          }),
        ),
      );
    // The published summary comes from the full training plan; this run may have trained the
    // reduced one, whose regions are a subset with the same runs: compare the regions both hold.
    const mine = verdicts(fresh),
      theirs = verdicts(published);
    // Regions over a lag range only the reduced plan has (…/lags-5-50) are not published; every other region must be.
    const reducedOnly = (key: string): boolean =>
      !theirs.has(key) && /\/lags-\d+-\d+\]$/.test(key) && TRAINING_CLAIM_IDS.some((id) => key.startsWith(`${id} [`));
    const differing = [...mine]
      .filter(([key, v]) => !reducedOnly(key) && theirs.get(key) !== v)
      .map(([key, v]) => `${key}: published ${theirs.get(key) ?? 'absent'}, measured ${v}`);
    expect(differing, 'reports/claims.json is stale: run `npm run verify` and commit reports/').toEqual([]);
    const gradientSide = [...theirs.keys()].filter((k) => !TRAINING_CLAIM_IDS.some((id) => k.startsWith(`${id} [`)));
    expect(
      gradientSide.filter((k) => !mine.has(k)),
      'published gradient-side regions this run did not measure',
    ).toEqual([]);
    const pending = published.pending.map((p) => p.id);
    expect(pending, `pending claims published: ${pending.join(', ')}; registered: ${PENDING.map((p) => p.id).join(', ')}`).toEqual(PENDING.map((p) => p.id));
  });
});
