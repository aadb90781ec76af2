import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../report/atomic.js';
import { type Summary, summaryMarkdown } from '../report/summary.js';
import { sectionVerdictSvgs, verdictMatrixSvg } from '../report/verdict-matrix.js';
import { OVERVIEW_FILE } from './report.js';

/**
 * The files a summary is published as, written in one place for `vg verify` (cli/verify.ts) and
 * scripts/summary.ts, which rebuilds them from a claims.json without running the claims.
 */

/** A file written: its name in the directory and its size in bytes. */
export interface WrittenFile {
  readonly file: string;
  readonly bytes: number;
  /** For a section's figure, the section. */
  readonly section?: string;
}

/** CLAIMS.md, the verdict overview and each section's figure into a directory (the summary's views, not claims.json itself). */
export async function writeSummaryViews(summary: Summary, dir: string): Promise<WrittenFile[]> {
  mkdirSync(dir, { recursive: true });
  const write = (file: string, text: string, section?: string): WrittenFile => {
    writeAtomic(join(dir, file), text);
    return { file, bytes: Buffer.byteLength(text), ...(section ? { section } : {}) };
  };
  const out = [write('CLAIMS.md', summaryMarkdown(summary)), write(OVERVIEW_FILE, await verdictMatrixSvg(summary))];
  for (const f of await sectionVerdictSvgs(summary)) out.push(write(f.file, f.svg, f.section));
  return out;
}

/** claims.json, then its views (writeSummaryViews), into a directory; returns the files written, claims.json first. */
export async function writeSummary(summary: Summary, dir: string): Promise<WrittenFile[]> {
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(summary, null, 2)}\n`;
  writeAtomic(join(dir, 'claims.json'), json);
  return [{ file: 'claims.json', bytes: Buffer.byteLength(json) }, ...(await writeSummaryViews(summary, dir))];
}
