import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RegionRecord } from '../report/region-record.js';
import { describeResults, describeRun, type RunSelection } from '../report/run-label.js';
import { type RegionResultFile, restateByVerdict } from '../report/verdict-status.js';
import type { ResultFile } from './report-checks.js';
import { readRun } from './runs.js';

/**
 * What `vg report` hands to Allure: the results the report shows, copied into a staging
 * directory, each region restated by its verdict (src/report/verdict-status.ts); and the words
 * for what ran, for the report's title. The run's own results are only read.
 */

/** Epics of results that are not claims but belong in the report: the training overview's summary charts (specs/claims/11-training.test.ts). */
export const OVERVIEW_EPICS = ['Training experiments'];

/** Whether a result belongs in the published report: a claim region (it has a verdict) or an overview. */
export function isReported(r: Pick<ResultFile, 'labels'>): boolean {
  return (r.labels ?? []).some((l) => l.name === 'verdict' || l.name === 'overview' || (l.name === 'epic' && OVERVIEW_EPICS.includes(l.value)));
}

function attachmentSources(r: ResultFile): string[] {
  return [...(r.attachments ?? []).map((a) => a.source), ...(r.steps ?? []).flatMap(attachmentSources)];
}

/**
 * Copies the results the report shows (see {@link isReported}), each region restated by its
 * verdict ({@link restateByVerdict}: status, message, expectation label; same uuid), their
 * attachments and containers, and each directory's other files (environment, categories, globals)
 * into one directory per input under `root`; returns those directories. Allure's filter hides a result from the tree but
 * still embeds its attachments and writes it into every history entry (1.1 MB a run with the
 * engine tests), so the engine, CLI and harness results never reach Allure at all.
 */
export function stageReportedResults(dirs: readonly string[], root: string): string[] {
  rmSync(root, { recursive: true, force: true });
  return dirs.map((dir, i) => {
    const out = join(root, String(i));
    mkdirSync(out, { recursive: true });
    const names = readdirSync(dir);
    const kept = new Set<string>(),
      sources = new Set<string>();
    for (const name of names.filter((n) => n.endsWith('-result.json'))) {
      const r = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ResultFile;
      if (!isReported(r)) continue;
      if (r.uuid) kept.add(r.uuid);
      for (const source of attachmentSources(r)) sources.add(source);
      // The staged copy, never the run's own file, takes the verdict's status (its uuid, and so its link, stays).
      writeFileSync(join(out, name), JSON.stringify(restateByVerdict(r as RegionResultFile, recordOf(r, dir))));
    }
    for (const name of names.filter((n) => !n.endsWith('-result.json'))) {
      const path = join(dir, name);
      if (!statSync(path).isFile()) continue;
      if (name.endsWith('-container.json')) {
        const children = (JSON.parse(readFileSync(path, 'utf8')) as { children?: string[] }).children ?? [];
        if (children.some((c) => kept.has(c))) copyFileSync(path, join(out, name));
      } else if (/-attachment(\.|$)/.test(name)) {
        if (sources.has(name)) copyFileSync(path, join(out, name));
      } else copyFileSync(path, join(out, name));
    }
    return out;
  });
}

/** A region's record, from its numbers.json attachment (src/report/allure.ts reportRegion), or null when it has none or an unreadable one. */
function recordOf(r: ResultFile, dir: string): RegionRecord | null {
  type Step = { readonly attachments?: ReadonlyArray<{ readonly name?: string; readonly source: string }>; readonly steps?: readonly Step[] };
  const find = (steps: readonly Step[]): string | undefined => {
    for (const s of steps) {
      const hit = s.attachments?.find((a) => a.name === 'numbers.json')?.source ?? find(s.steps ?? []);
      if (hit) return hit;
    }
    return undefined;
  };
  const source = find([r]);
  try {
    return source ? (JSON.parse(readFileSync(join(dir, source), 'utf8')) as RegionRecord) : null;
  } catch {
    return null;
  }
}

/**
 * What ran, for the report's title: a `vg verify` run's selection from its run.json (the run
 * directory is the results directory's parent); results no run.json describes (CI shards merged,
 * a test run's) are described by what they hold.
 */
export function whatRan(resultsDirs: readonly string[], staged: readonly string[]): string {
  const runs = resultsDirs.map((d) => readRun(dirname(resolve(d))));
  const described = runs.map((run) => (run ? describeRun(run.kind, run.options as RunSelection) : null));
  if (described.length === 1 && described[0]) return described[0];
  if (described.every((d) => d !== null)) return `merged results of ${described.length} runs: ${described.join(' + ')}`;
  const regions = staged
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((n) => n.endsWith('-result.json'))
        .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as ResultFile & { parameters?: ReadonlyArray<{ name: string; value: string }> }),
    )
    .filter((r) => (r.labels ?? []).some((l) => l.name === 'verdict'));
  const values = (name: string): string[] => [...new Set(regions.flatMap((r) => (r.labels ?? []).filter((l) => l.name === name).map((l) => l.value)))];
  const backends = [...new Set(regions.flatMap((r) => (r.parameters ?? []).filter((p) => p.name === 'backend').map((p) => p.value)))].sort();
  return describeResults({ runs: resultsDirs.length, regions: regions.length, claims: values('claim').length, sections: values('section').length, backends });
}
