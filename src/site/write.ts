import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { writeAtomic } from '../report/atomic.js';
import { type ClaimSummary, type Summary, specOf } from '../report/summary.js';
import { SITE_GENERATOR, type SitePageInput, sitePage } from './page.js';

/** The site's page and the folder of plots beside it. */
export const SITE_INDEX = 'index.html';
export const SITE_PLOTS = 'site-plots';

/** What {@link writeSite} needs: the run's summary and results, where the site and the Allure report go, and what ran. */
export interface WriteSiteOptions {
  /** The run's claims.json (a Summary), read from disk so a published run re-renders without running anything. */
  readonly summaryFile: string;
  /** The Allure results the region plots and Allure links are read from. */
  readonly resultsDirs: readonly string[];
  /** The directory the page is written into (index.html and site-plots/). */
  readonly siteDir: string;
  /** The Allure report's directory (its index.html is linked relative to the page), or null. */
  readonly allureReport: string | null;
  /** `CLAIM [region]` → fragment opening the region's result in the Allure report. */
  readonly allureLinks: ReadonlyMap<string, string>;
  readonly runLabel: string;
  readonly partial: boolean;
  /** A claim's source or spec file (path relative to the repository) → the link the page gives it, or null for none. */
  readonly sourceHref: (path: string) => string | null;
  readonly panelScript: string | null;
}

/** An Allure result, as far as the site reads it. */
interface Result {
  readonly labels?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly attachments?: ReadonlyArray<{ readonly source: string; readonly type?: string }>;
  readonly steps?: readonly Result[];
  readonly start?: number;
}

const labelOf = (r: Result, name: string): string | undefined => r.labels?.find((l) => l.name === name)?.value;
const svgsOf = (r: Result): string[] => [
  ...(r.attachments ?? []).filter((a) => a.type === 'image/svg+xml').map((a) => a.source),
  ...(r.steps ?? []).flatMap(svgsOf),
];

/** Each region's first evidence plot (an SVG attachment of its result; the earliest result when a sweep ran it once per seed). */
export function regionPlots(resultsDirs: readonly string[]): Map<string, string> {
  const found = new Map<string, { file: string; start: number }>();
  for (const dir of resultsDirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('-result.json'))
      .sort()) {
      let r: Result;
      try {
        r = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Result;
      } catch {
        continue;
      }
      const claim = labelOf(r, 'claim'),
        region = labelOf(r, 'story');
      const svg = svgsOf(r)[0];
      if (!claim || !region || !labelOf(r, 'verdict') || svg === undefined || !existsSync(join(dir, svg))) continue;
      const key = `${claim} [${region}]`,
        start = r.start ?? 0;
      const seen = found.get(key);
      if (!seen || start < seen.start) found.set(key, { file: join(dir, svg), start });
    }
  }
  return new Map([...found].map(([k, v]) => [k, v.file]));
}

const fileSlug = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_');
const href = (from: string, to: string): string => relative(from, to).split(sep).join('/');

/**
 * Writes the verdict site of one run: `index.html` (inline styles, scripts and data: no request
 * leaves it) and `site-plots/` (each region's evidence plot, opened lazily) into `siteDir`, linking
 * the Allure report relative to it. Refuses, with a ConfigError naming it, an index.html there that
 * another tool wrote. The plots are staged and moved into place, and the page is written last
 * through a rename, so a failure leaves the previous site whole. Returns the page's path.
 */
export function writeSite(o: WriteSiteOptions): string {
  const siteDir = resolve(o.siteDir);
  const index = join(siteDir, SITE_INDEX);
  if (existsSync(index) && !readFileSync(index, 'utf8').includes(`content="${SITE_GENERATOR}"`)) {
    throw new ConfigError('site', index, `a path this tool may write: an index.html there was not written by ${SITE_GENERATOR}; choose another --out`);
  }
  if (!existsSync(o.summaryFile)) throw new ConfigError('summary', o.summaryFile, "a run's claims.json (vg verify writes it into the run directory)");
  let summary: Summary;
  try {
    summary = JSON.parse(readFileSync(o.summaryFile, 'utf8')) as Summary;
  } catch (e) {
    throw new ConfigError('summary', o.summaryFile, `a readable claims.json (${(e as Error).message})`);
  }
  if (!Array.isArray(summary.claims)) throw new ConfigError('summary', o.summaryFile, 'a claims.json with a claims array');
  mkdirSync(siteDir, { recursive: true });
  const staging = join(siteDir, `.${SITE_PLOTS}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    const plots = new Map<string, string>();
    for (const [key, file] of regionPlots(o.resultsDirs)) {
      const name = `${fileSlug(key)}.svg`;
      copyFileSync(file, join(staging, name));
      plots.set(key, `${SITE_PLOTS}/${name}`);
    }
    const input: SitePageInput = {
      summary,
      runLabel: o.runLabel,
      partial: o.partial,
      allureIndex: o.allureReport !== null && existsSync(join(o.allureReport, 'index.html')) ? href(siteDir, join(o.allureReport, 'index.html')) : null,
      allureLinks: o.allureLinks,
      plots,
      sourceHref: o.sourceHref,
      specOf: (c: ClaimSummary) => specOf(c),
      panelScript: o.panelScript,
    };
    const page = sitePage(input);
    const target = join(siteDir, SITE_PLOTS);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    writeAtomic(index, page);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return index;
}

/** Whether a directory holds a site this tool wrote. */
export function isSite(dir: string): boolean {
  const index = join(dir, SITE_INDEX);
  return existsSync(index) && statSync(index).isFile() && readFileSync(index, 'utf8').includes(`content="${SITE_GENERATOR}"`);
}

export const siteDirOf = (allureReport: string): string => dirname(resolve(allureReport));
