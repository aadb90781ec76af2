import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS, PENDING, TRAINING_CLAIM_IDS } from '../../src/claims/registry.js';
import { ALLURE_RESULTS, EVIDENCE, REPORTS } from '../../src/cli/paths.js';
import { generateReport } from '../../src/cli/report.js';
import { readRecords } from '../../src/report/evidence-store.js';
import { buildSummary, type Summary } from '../../src/report/summary.js';
import { renderedLeafTitles } from './browser.js';

// Runs in its own vitest run after the claims project (see package.json's test script): reads the results and evidence it wrote.
const out = mkdtempSync(join(tmpdir(), 'vg-report-'));
let titles: string[] = [];
let html = '';
let externalRequests: string[] = [];

describe('the HTML report of this run', () => {
  beforeAll(async () => {
    const index = generateReport([ALLURE_RESULTS], out, { history: false });
    html = readFileSync(index, 'utf8');
    ({ titles, externalRequests } = await renderedLeafTitles(index));
  }, 240_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('should show every region of every registered claim in headless Chromium', () => {
    const missing = CLAIMS.flatMap((c) => c.regions.map((r) => `${c.id} [${r.id}]`)).filter((id) => !titles.some((t) => t.startsWith(id)));
    expect(missing, `claim regions absent from the rendered report (${titles.length} leaves rendered)`).toEqual([]);
  });

  it('should work offline: no request leaves file: and data:, and no analytics tag is left in the page', () => {
    expect(externalRequests, 'requests the rendered report tried to send out').toEqual([]);
    expect(html).not.toMatch(/googletagmanager|gtag\(/);
    const urls = [...new Set(html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [])].filter((u) => !u.startsWith('http://www.w3.org/'));
    expect(urls, 'absolute URLs in the report other than XML namespaces').toEqual([]);
  });

  it('should show every claim id of the registry', () => {
    for (const claim of CLAIMS) expect(titles.some((t) => t.includes(claim.id)), `${claim.id} not in the rendered page`).toBe(true);
  });
});

describe('the published summary (reports/claims.json)', () => {
  it('should hold the verdicts this run measured, region by region', async () => {
    const records = await readRecords(EVIDENCE);
    const fresh = buildSummary(CLAIMS, PENDING, records, 424242);
    expect(fresh.mismatches, 'regions whose measured verdict differs from the registered expectation').toEqual([]);
    const file = join(REPORTS, 'claims.json');
    expect(existsSync(file), 'reports/claims.json is missing: run `npm run verify` and commit it').toBe(true);
    const published = JSON.parse(readFileSync(file, 'utf8')) as Summary;
    const verdicts = (s: Summary) => new Map<string, string>(s.claims.flatMap((c) => c.regions.map((r) => [`${c.id} [${r.regionId}]`, `${r.measured} ${r.counts.holds}/${r.counts.fails}/${r.counts.broken}`] as const)));
    // The published summary comes from the full training plan; this run may have trained the
    // reduced one, whose regions are a subset with the same runs: compare the regions both hold.
    const mine = verdicts(fresh), theirs = verdicts(published);
    // Regions over a lag range only the reduced plan has (…/lags-5-50) are not published; every other region must be.
    const reducedOnly = (key: string): boolean => !theirs.has(key) && /\/lags-\d+-\d+\]$/.test(key) && TRAINING_CLAIM_IDS.some((id) => key.startsWith(`${id} [`));
    const differing = [...mine].filter(([key, v]) => !reducedOnly(key) && theirs.get(key) !== v).map(([key, v]) => `${key}: published ${theirs.get(key) ?? 'absent'}, measured ${v}`);
    expect(differing, 'reports/claims.json is stale: run `npm run verify` and commit reports/').toEqual([]);
    const gradientSide = [...theirs.keys()].filter((k) => !TRAINING_CLAIM_IDS.some((id) => k.startsWith(`${id} [`)));
    expect(gradientSide.filter((k) => !mine.has(k)), 'published gradient-side regions this run did not measure').toEqual([]);
    expect(published.pending.map((p) => p.id)).toEqual(PENDING.map((p) => p.id));
  });
});
