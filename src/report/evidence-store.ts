import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from './atomic.js';
import type { RegionRecord } from './region-record.js';

/** Where a checkout's runs put region records unless told otherwise (`npm test`, `vg verify` without --out). */
export const DEFAULT_EVIDENCE_DIR = join('reports', 'evidence');

/** File names of the training overview's summary charts in an evidence directory (vg report attaches them to the report's overview). */
export const TRAINING_CHART_PREFIX = 'training-chart-';

/** Writes a record atomically (temp file, then rename), so a crash never leaves half a file. */
export async function writeRecord(record: RegionRecord, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  // Region ids may hold '/' (training regions: task/model/lag); file names may not.
  const file = join(dir, `${record.claimId}--${record.regionId.replace(/[^A-Za-z0-9._-]/g, '~')}.json`);
  writeAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** Every record in a directory (missing directory → none). */
export async function readRecords(dir: string = DEFAULT_EVIDENCE_DIR): Promise<RegionRecord[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as RegionRecord));
}
