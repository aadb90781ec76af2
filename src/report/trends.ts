import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type NumberRange, type RegionRecord, mergeRanges, recordKeyName } from './region-record.js';
import { regionRange } from './summary.js';

/**
 * Key numbers tracked across runs (issue 16: "Trends shows how a measured decay or a solve time
 * moves between versions, not only pass counts").
 *
 * Allure 3 (3.18) reads numeric samples from any results file named `*-perf.json` (an array of
 * `{ id, key, value, start, stop }`, @allurereport/reader allure2 → `visitMetrics`), keeps one
 * value per key in each history entry (`HistoryDataPoint.metrics`, the mean of the run's samples
 * of that key, @allurereport/core history.js) and the awesome plugin shows them in its Metrics
 * section: each key's value this run, the change since the previous run and a trend line over
 * the history. Its `charts` option has no chart of such metrics (its chart types are built from
 * statuses, severities and durations), so this section is where the numbers are shown.
 *
 * A region is tracked by its key number's range over the region's cases, both ends as metrics of
 * their own (`<claim id> [<region id>] <key name> min` and `… max`). A range rather than a
 * median: the record keeps only the range (a median needs every case's value, which records do
 * not hold), the summary and the tree report the same range, and a predicate is judged on every
 * case, so an end that crosses the claimed bound is what a reader watches for. Both ends are
 * separate keys because a history entry keeps one number per key: two samples under one key
 * would be stored as their midpoint.
 */

/** The results file `vg report` writes the key numbers into; the suffix is what Allure reads metrics from. */
export const KEY_NUMBERS_FILE = 'vg-key-numbers-perf.json';
/** The directory of region records beside a results directory (`vg verify` writes `<out>/evidence` next to `<out>/allure-results`). */
export const EVIDENCE_BESIDE_RESULTS = 'evidence';

/**
 * One metric sample as Allure 3 reads it (@allurereport/core-api `AllurePerformanceResult`, with
 * the optional presentation fields of its `MetricSample`).
 */
export interface KeyNumberSample {
  /** The sample's id; Allure requires a non-empty string. */
  readonly id: string;
  /** The tracked metric: `<claim id> [<region id>] <key name> min|max`; history entries are keyed by it. */
  readonly key: string;
  readonly value: number;
  /** When the region was measured (its record's modification time), ms since the epoch; Allure requires finite values. */
  readonly start: number;
  readonly stop: number;
  /** The row's title in the Metrics section (the group heading already names the claim). */
  readonly title: string;
  /** Rows are grouped by claim. */
  readonly group: string;
  readonly groupTitle: string;
  /** A measured decay is neither better nor worse when it moves: the change is shown uncoloured. */
  readonly better: 'neutral';
}

/** A region record and when it was written. */
export interface DatedRecord {
  readonly record: RegionRecord;
  /** Modification time of the record's file, ms since the epoch. */
  readonly at: number;
}

/** The tracked metric of one end of a region's key number, e.g. `VG-DEMO-GAP [demo-as-written] gapDecades min`. */
export function keyNumberMetric(claimId: string, regionId: string, name: string, end: 'min' | 'max'): string {
  return `${claimId} [${regionId}] ${name} ${end}`;
}

/**
 * The samples of every region's key number: two per region (its range's ends), grouped by claim.
 * A region without a key number, or whose key had no finite value in any case (no seed solved),
 * adds none this run, so its trend shows a gap rather than a made-up value.
 */
export function keyNumberSamples(records: readonly DatedRecord[]): KeyNumberSample[] {
  const regions = new Map<string, { record: RegionRecord; name: string; range: NumberRange; representativeOnly: boolean; at: number }>();
  for (const { record, at } of records) {
    const name = recordKeyName(record);
    const part = name === null ? null : regionRange(record, name);
    if (name === null || part === null) continue;
    const id = keyNumberMetric(record.claimId, record.regionId, name, 'min');
    const seen = regions.get(id);
    regions.set(
      id,
      seen
        ? {
            ...seen,
            range: mergeRanges([seen.range, part.range]),
            representativeOnly: seen.representativeOnly || part.representativeOnly,
            at: Math.max(seen.at, at),
          }
        : { record, name, range: part.range, representativeOnly: part.representativeOnly, at },
    );
  }
  return [...regions.values()].flatMap(({ record, name, range, representativeOnly, at }) => {
    const over = representativeOnly
      ? 'its representative case (an older record keeps no range)'
      : `${range.cases} case${range.cases === 1 ? '' : 's'}${range.missing > 0 ? `, ${range.missing} without a value` : ''}`;
    return (['min', 'max'] as const).flatMap((end) => {
      const value = range[end];
      if (value === null || !Number.isFinite(value)) return [];
      const key = keyNumberMetric(record.claimId, record.regionId, name, end);
      return [
        {
          id: key,
          key,
          value,
          start: at,
          stop: at,
          title: `[${record.regionId}] ${name}, ${end} over ${over}`,
          group: record.claimId,
          groupTitle: `${record.claimId}: ${record.section}`,
          better: 'neutral' as const,
        },
      ];
    });
  });
}

/** Whether a parsed file is a region record (the evidence directory also holds the training overview and may hold other files). */
function isRegionRecord(v: unknown): v is RegionRecord {
  const r = v as Partial<RegionRecord> | null;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.claimId === 'string' &&
    typeof r.regionId === 'string' &&
    typeof r.section === 'string' &&
    !!r.numbers &&
    typeof r.numbers === 'object'
  );
}

/**
 * Every region record in a directory with its file's time (missing directory → none). Synchronous,
 * unlike evidence-store's `readRecords`, because `generateReport` is; a file that is not a record is skipped.
 */
export function datedRecordsIn(dir: string): DatedRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .flatMap((n) => {
      const file = join(dir, n);
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        return [];
      }
      return isRegionRecord(parsed) ? [{ record: parsed, at: statSync(file).mtimeMs }] : [];
    });
}

/** The evidence directory beside each results directory (`<results>/../evidence`), those that exist, without repeats. */
export function evidenceBeside(resultsDirs: readonly string[]): string[] {
  return [...new Set(resultsDirs.map((d) => join(dirname(resolve(d)), EVIDENCE_BESIDE_RESULTS)))].filter((d) => existsSync(d));
}

/** Writes the key numbers of the records in `evidenceDirs` into `resultsDir` as an Allure metrics file; returns how many samples (none: no file). */
export function writeKeyNumbers(evidenceDirs: readonly string[], resultsDir: string): number {
  const samples = keyNumberSamples(evidenceDirs.flatMap(datedRecordsIn));
  if (samples.length > 0) writeFileSync(join(resultsDir, KEY_NUMBERS_FILE), `${JSON.stringify(samples)}\n`);
  return samples.length;
}
