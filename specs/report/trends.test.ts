import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, generateReport } from '../../src/cli/report.js';
import type { RegionRecord } from '../../src/report/region-record.js';
import { KEY_NUMBERS_FILE, keyNumberMetric, keyNumberSamples } from '../../src/report/trends.js';
import { openReport } from './browser.js';
import { regionRecordFixture } from './fixture-results.js';

/** A region record with the fields the tracker reads; the rest as `vg verify` writes them. */
const record = (claimId: string, regionId: string, fields: Partial<RegionRecord>): RegionRecord =>
  regionRecordFixture({ claimId, section: 'Empirical Demonstration', regionId, region: regionId, ...fields });

const GAP = keyNumberMetric('VG-DEMO-GAP', 'demo-as-written', 'gapDecades', 'max');
const SOLVED = keyNumberMetric('VG-GATED-LEARNS', 'adding/lstm/lag-50', 'solvedAt', 'min');
/** The region's key number this run and the next: the gap's upper end moves, as a measured decay does between versions. */
const gapRecord = (max: number): RegionRecord =>
  record('VG-DEMO-GAP', 'demo-as-written', { numbers: { gapDecades: 16.2 }, key: { name: 'gapDecades', min: 15.4, max, cases: 25, missing: 0 } });
/** A training region written before records kept `key`: its seeds' solvedAt give the range, an unsolved seed counts as missing. */
const trainingRecord = record('VG-GATED-LEARNS', 'adding/lstm/lag-50', {
  expected: 'holds',
  measured: 'holds',
  runs: 3,
  numbers: { lag: 50, seed: 1, solvedAt: 900 },
  seeds: [
    { seed: 1, holds: true, solvedAt: 900 },
    { seed: 2, holds: true, solvedAt: 700 },
    { seed: 3, holds: false, solvedAt: null },
  ],
});

describe('key numbers tracked across runs (src/report/trends.ts)', () => {
  it('should track both ends of each region key number, named <claim id> [<region id>] <key name> min|max', () => {
    // Arrange: a region whose key never had a value (no seed solved) adds nothing rather than a made-up number.
    const unsolved = record('VG-GATED-LEARNS', 'recall/rnn/lag-100', {
      numbers: { lag: 100, seed: 1, solvedAt: null },
      key: { name: 'solvedAt', min: null, max: null, cases: 3, missing: 3 },
    });
    // Act
    const samples = keyNumberSamples([
      { record: gapRecord(17.4), at: 1 },
      { record: trainingRecord, at: 2 },
      { record: unsolved, at: 3 },
    ]);
    // Assert
    const byKey = Object.fromEntries(samples.map((s) => [s.key, s.value]));
    expect(byKey, `samples: ${JSON.stringify(samples.map((s) => [s.key, s.value]))}`).toEqual({
      [keyNumberMetric('VG-DEMO-GAP', 'demo-as-written', 'gapDecades', 'min')]: 15.4,
      [GAP]: 17.4,
      [SOLVED]: 700,
      [keyNumberMetric('VG-GATED-LEARNS', 'adding/lstm/lag-50', 'solvedAt', 'max')]: 900,
    });
    const solved = samples.find((s) => s.key === SOLVED);
    expect(solved?.title, `the solvedAt row's title (group ${solved?.group}) should say a seed had no value`).toBe(
      '[adding/lstm/lag-50] solvedAt, min over 3 cases, 1 without a value',
    );
  });

  it('should take the union of a region measured in two evidence directories', () => {
    const samples = keyNumberSamples([
      { record: gapRecord(17.4), at: 1 },
      { record: record('VG-DEMO-GAP', 'demo-as-written', { key: { name: 'gapDecades', min: 16, max: 18.1, cases: 25, missing: 0 } }), at: 2 },
    ]);
    const ends = samples.map((s) => `${s.key} = ${s.value} (${s.title})`);
    expect(ends, 'the union of [15.4, 17.4] and [16, 18.1] over 50 cases').toEqual([
      `${keyNumberMetric('VG-DEMO-GAP', 'demo-as-written', 'gapDecades', 'min')} = 15.4 ([demo-as-written] gapDecades, min over 50 cases)`,
      `${GAP} = 18.1 ([demo-as-written] gapDecades, max over 50 cases)`,
    ]);
  });
});

describe('vg report twice with one history file', () => {
  const root = mkdtempSync(join(tmpdir(), 'vg-trends-'));
  const results = join(root, 'run', 'allure-results'),
    beside = join(root, 'run', 'evidence'),
    later = join(root, 'later-evidence');
  const history = join(root, 'history.jsonl'),
    out = join(root, 'report');
  let entries: Array<{ uuid: string; metrics: Record<string, number> }> = [];
  let widget: { current: Array<{ key: string; value: number }>; history: Array<{ uuid: string; metrics: Record<string, number> }> };
  let shown: { rows: string[]; history: string };

  beforeAll(async () => {
    // Arrange: one claim result, as vg verify writes it, and the region records beside it; the next run's records elsewhere (--evidence).
    mkdirSync(results, { recursive: true });
    const labels = [
      { name: 'verdict', value: 'refuted' },
      { name: 'epic', value: '07 · Empirical Demonstration' },
      { name: 'feature', value: 'VG-DEMO-GAP' },
    ];
    writeFileSync(
      join(results, '00000000-0000-4000-8000-000000000001-result.json'),
      JSON.stringify({
        uuid: '00000000-0000-4000-8000-000000000001',
        historyId: 'VG-DEMO-GAP/demo-as-written',
        name: 'VG-DEMO-GAP [demo-as-written]',
        fullName: 'VG-DEMO-GAP [demo-as-written]',
        status: 'passed',
        stage: 'finished',
        start: 1_700_000_000_000,
        stop: 1_700_000_001_000,
        labels,
        steps: [],
        attachments: [],
        parameters: [],
      }),
    );
    for (const [dir, max] of [
      [beside, 17.4],
      [later, 17.9],
    ] as const) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'VG-DEMO-GAP--demo-as-written.json'), JSON.stringify(gapRecord(max)));
      writeFileSync(join(dir, 'VG-GATED-LEARNS--adding~lstm~lag-50.json'), JSON.stringify(trainingRecord));
      writeFileSync(join(dir, 'training-overview.md'), '# not a record\n');
    }
    // Act
    generateReport([results], out, { historyFile: history });
    const index = generateReport([results], out, { historyFile: history, evidence: [later] });
    entries = readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as (typeof entries)[number]);
    const html = readFileSync(index, 'utf8');
    const embedded = /d\("widgets\/metrics\.json","([^"]+)"\)/.exec(html);
    widget = embedded ? (JSON.parse(Buffer.from(embedded[1], 'base64').toString('utf8')) as typeof widget) : { current: [], history: [] };
    shown = await openReport(index, async (page) => {
      // The awesome template's section menu (Report ▾ → Metrics), then the gap's row opened to its history.
      const [menu] = await page.$$('xpath/.//button[normalize-space(.)="Report"]');
      await menu?.click();
      const [item] = await page.$$('xpath/.//*[normalize-space(text())="Metrics"]');
      await item?.click();
      // Without metrics the section is absent: the last test then says what the page showed, the others still run.
      if (!(await page.waitForSelector('[data-testid="metrics-view"]', { timeout: 20_000 }).catch(() => null)))
        return { rows: [], history: await page.evaluate(() => document.body.innerText) };
      const rows = await page.$$eval('[data-testid="metrics-view"] tbody tr', (trs) =>
        trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
      );
      const [row] = await page.$$('xpath/.//button[contains(., "gapDecades, max")]');
      await row?.click();
      await new Promise((r) => setTimeout(r, 500));
      return { rows, history: await page.$eval('[data-testid="metrics-view"]', (v) => (v as HTMLElement).innerText) };
    });
  }, 240_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("should keep each run's key numbers in its history entry", () => {
    const gap = entries.map((e) => e.metrics[GAP]);
    expect(
      gap,
      `${GAP} in the ${entries.length} history entries of ${history} (limit ${HISTORY_LIMIT}); keys of the ` +
        `last: ${Object.keys(entries.at(-1)?.metrics ?? {}).join(' | ')}`,
    ).toEqual([17.4, 17.9]);
    const solved = entries.map((e) => e.metrics[SOLVED]);
    expect(solved, `${SOLVED} in each history entry (seeds solved at 900, 700 and never)`).toEqual([700, 700]);
  });

  it("should embed this run and the previous one in the report's metrics", () => {
    const current = widget.current.find((s) => s.key === GAP)?.value;
    const previous = widget.history.map((h) => h.metrics[GAP]);
    expect(current, `${GAP} this run; current keys: ${widget.current.map((s) => s.key).join(' | ')}`).toBe(17.9);
    expect(previous, `${GAP} in the earlier runs the report embeds (history uuids ${widget.history.map((h) => h.uuid).join(', ')})`).toEqual([17.4]);
    expect(readdirSync(results), `${KEY_NUMBERS_FILE} is staged inside the report's directory, never written into ${results}`).not.toContain(KEY_NUMBERS_FILE);
  });

  it('should show the key number, its change since the last run and its history in the Metrics section', () => {
    const gapRow = shown.rows.find((r) => r.includes('[demo-as-written] gapDecades, max'));
    // Value 17.9 (count 1: total, avg, min and max all read it), then the change since 17.4.
    expect(gapRow, `the gap's row among ${shown.rows.length} rows: ${shown.rows.join(' | ')}`).toMatch(/over 25 cases 1 17\.9 17\.9 17\.9 17\.9 \+0\.5\b/);
    expect(shown.history, `the opened row's history should list the earlier run's 17.4; the view reads: ${shown.history.slice(0, 1500)}`).toContain('17.4');
  });
});
