import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Links from outside (the verdict site, CLAIMS.md) into one region's page of the Allure report.
 *
 * Allure 3's awesome app routes on the URL's hash: `#<testResultId>` opens a test result
 * (web-awesome's router, `/:testResultId/:tab?`, where the id must not be `categories`, a chart
 * section or a root tab), `#<testResultId>/<tab>` one of its tabs. The id is not in the result
 * file: Allure computes it when it reads the file, as the md5 of the file's `uuid`
 * (@allurereport/core 3.18, dist/store/convert.js `testResultRawToState`:
 * `id: md5(raw.uuid || randomUUID())`, md5 = hex MD5 from @allurereport/plugin-api), so the same
 * result file always gives the same link, and a file without a uuid gives none that lasts.
 * `vg report` restates a result's status but keeps its uuid, so the link holds for its report.
 */

/** The id Allure gives a result file whose `uuid` is this (see the module comment). */
export function allureTestResultId(uuid: string): string {
  return createHash('md5').update(uuid).digest('hex');
}

/** The fragment that opens a test result in an awesome report: `#<id>`. */
export function allureResultHref(uuid: string): string {
  return `#${allureTestResultId(uuid)}`;
}

interface LinkedResult {
  readonly uuid?: string;
  readonly start?: number;
  readonly labels?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/**
 * For every region result in an Allure results directory (a run's allure-results), `CLAIM-ID
 * [region-id]` (its `claim` label and its `story`, the region id, as src/report/allure.ts sets
 * them) → the href fragment of its page in a report generated from that directory, e.g.
 * `VG-DECAY-BOUND [demo-as-written]` → `#5d41402abc4b2a76b9719d911017c592`. A region reported
 * twice in one directory (a retried test) links to its latest result, the one Allure shows (the
 * latest `start`: core's dist/store/retrySubstore.js `compareResults`); the earlier is a retry on that page. Results without a uuid, a claim or a region are left out.
 */
export function allureLinks(resultsDir: string): Map<string, string> {
  const latest = new Map<string, { href: string; start: number }>();
  for (const name of readdirSync(resultsDir).filter((n) => n.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(resultsDir, name), 'utf8')) as LinkedResult;
    const label = (n: string): string | undefined => r.labels?.find((l) => l.name === n)?.value;
    const claim = label('claim'),
      region = label('story');
    if (!r.uuid || !claim || !region || label('verdict') === undefined) continue;
    const key = `${claim} [${region}]`,
      start = r.start ?? 0;
    const seen = latest.get(key);
    if (!seen || start > seen.start) latest.set(key, { href: allureResultHref(r.uuid), start });
  }
  return new Map([...latest].sort(([a], [b]) => a.localeCompare(b)).map(([key, { href }]) => [key, href]));
}
