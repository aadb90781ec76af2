import { type Claim, type ClaimVerdict, type Domain, SECTIONS, expectedVerdict } from '../engine/types.js';
import type { RegionRecord } from './region-record.js';
import { keyNumberPhrase, keyNumberWords } from './key-words.js';
import { formatRange, type KeyNumber, premiseShareText, roleOf } from './summary.js';
import { verdictWord } from './verdict-words.js';

/**
 * The names and labels a region's result carries in the Allure tree: its section's epic, its
 * claim's node, its own title. Pure text from the claim and the record.
 */

/**
 * The epic of a section: its number in the document, so the tree sorted by name follows the
 * document ("02 · Gradient Flow Through Time"); a user's section keeps its name and sorts after.
 */
export function sectionEpic(section: string): string {
  const i = (SECTIONS as readonly string[]).indexOf(section);
  return i < 0 ? section : `${String(i + 1).padStart(2, '0')} · ${section}`;
}

/**
 * The claim's node in the tree, with the claim's verdict. Allure groups regions by this label's
 * value, so every region of a claim must compute the same text while knowing only itself: by
 * default the verdict the registry expects (engine/types.ts expectedVerdict). When the run passes,
 * every region measured its expectation, so this is also the measured claim verdict; a region
 * that measured otherwise fails and says so in its own name. A caller that knows better (a
 * training shard, which holds only its own regions) passes the verdict in the region's outcome.
 */
export function claimNode(claim: Claim<Domain>, verdict: ClaimVerdict = expectedVerdict(claim)): string {
  return `${claim.id} — ${verdictWord(verdict)}`;
}

/** `gap between first and last step 16.2–17.4 decades (claimed 6–10)`: the key number in words (report/key-words.ts) over the region's cases, beside the claimed range. */
export function keyRangeText(k: KeyNumber | null): string {
  if (!k) return '';
  const claimed = k.claimed ? ` (claimed ${k.claimed[0]}–${k.claimed[1]})` : '';
  if (k.measured.min === null) return `${keyNumberWords(k.name).words}: none of ${k.measured.cases}${claimed}`;
  return `${keyNumberPhrase(k.name, formatRange(k.measured))}${claimed}`;
}

/**
 * A region's leaf in the tree: region id, measured verdict, cases that hold, the key range, e.g.
 * `demo-as-written — refuted 0/25 · gap between first and last step 16.2–17.4 decades (claimed 6–10)`.
 * A training region that is budget-limited names its verdict at the cap; a region that differs
 * from its expectation says so.
 */
export function regionTitle(record: RegionRecord, key: KeyNumber | null): string {
  const atCap = record.measured === 'budget-limited' && record.capVerdict ? ` (at the cap: ${record.capVerdict})` : '';
  const broken = record.counts.broken ? `, ${record.counts.broken} broken` : '';
  const text = keyRangeText(key);
  const differs = record.matches ? '' : ` — ⚠ expected ${record.expected}`;
  const counted = record.counts.holds + record.counts.fails + record.counts.broken;
  const probe = roleOf(record) === 'boundary' ? 'boundary probe: ' : '';
  return (
    `${probe}${record.regionId} — ${verdictWord(record.measured)}${atCap} ` +
    `${record.counts.holds}/${counted}${broken}${premiseShareText(record)}${text ? ` · ${text}` : ''}${differs}`
  );
}

/** Whether an Allure test runtime is registered in this test process (allure-vitest's setup file registers it under this global key). */
export function allureActive(): boolean {
  return typeof (globalThis as { allureTestRuntime?: unknown }).allureTestRuntime === 'function';
}
