import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../src/engine/types.js';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { claimsForPlan } from '../../src/claims/registry.js';
import { trainingPlan } from '../../src/claims/training/plan.js';
import {
  README_MARKERS,
  SECTION_SPECS,
  TRAINING_SPEC,
  type Summary,
  formatRange,
  keyNumberOf,
  readmeVerdictTable,
  summaryMarkdown,
} from '../../src/report/summary.js';
import { verdictWord } from '../../src/report/verdict-words.js';

/**
 * Issue 16: CLAIMS.md must stay readable on GitHub (it was 100 kB before; 29.9 kB at 092c23d).
 * Issue 22 adds an audit line per claim (premise, premise regions, probes, reading) and seven
 * claims, about 9 kB at 6 claims' worth of regions each; the limit moves to 40 kB for them, not for
 * longer region lists. The publication that decided every training claim on its premise (49 claims,
 * the training grids over 8 lags with their probes, every boundary with its measured numbers) is
 * 62 kB: the limit moves to 70 kB, and a readable first screen is the verdict site's job (issue 23).
 */
const MAX_BYTES = 70_000;

const summary = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'claims.json'), 'utf8')) as Summary;
const markdown = summaryMarkdown(summary);
const ids = [...summary.claims.map((c) => c.id), ...summary.pending.map((p) => p.id)];

/** The rows of the table at the top: the claim's statement (as a table cell writes it) → its cells after it. */
function topMatrix(md: string): Map<string, string[]> {
  const table = md.slice(md.indexOf('| claim | verdict |'), md.indexOf('\n\n', md.indexOf('| claim | verdict |')));
  return new Map(
    table
      .split('\n')
      .slice(2)
      .map((row) => row.split(' | '))
      .map((cells) => [cells[0].replace(/^\| /, ''), cells.slice(1)]),
  );
}
const asCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

describe('CLAIMS.md built from the committed reports/claims.json', () => {
  it(`should be smaller than ${MAX_BYTES} bytes`, () => {
    const bytes = Buffer.byteLength(markdown);
    expect(bytes, `CLAIMS.md is ${bytes} bytes, the limit is ${MAX_BYTES}`).toBeLessThan(MAX_BYTES);
  });

  it("should give every section one heading, in the document's order", () => {
    const present = new Set([...summary.claims.map((c) => c.section), ...summary.pending.map((p) => p.section)]);
    const expected = (SECTIONS as readonly string[]).filter((s) => present.has(s));
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]).filter((h) => h !== 'Protocol');
    expect(headings, `section headings [${headings.join(' · ')}], expected [${expected.join(' · ')}] (registry order, each once)`).toEqual(expected);
  });

  it('should list every claim at the top by its statement, with its verdict in words and where it holds and fails', () => {
    const rows = topMatrix(markdown);
    for (const c of summary.claims) {
      const row = rows.get(asCell(c.statement));
      expect(row?.[0], `${c.id}: the top table's row for "${c.statement.slice(0, 60)}…" gives verdict "${row?.[0]}", measured ${c.measured}`).toBe(
        verdictWord(c.measured),
      );
      // The phrase names the verdicts of its premise regions: every verdict a premise region has appears in it.
      const seen = new Set(c.regions.filter((r) => (r.role ?? 'premise') === 'premise').map((r) => verdictWord(r.measured)));
      for (const v of seen) expect(row?.[1].includes(`${v}:`), `${c.id}: where-phrase "${row?.[1]}" does not say where it is ${v}`).toBe(true);
    }
    for (const p of summary.pending) expect(rows.get(asCell(p.statement))?.[0], `${p.id}: top table row of a pending claim`).toBe('pending');
    expect([...rows.keys()], `top table rows against the claims [${ids.join(', ')}]`).toHaveLength(ids.length);
  });

  it('should read without an emoji or symbol font: no pictographs and no geometric-shape marks', () => {
    const marks = [...new Set(markdown.match(/[\p{Extended_Pictographic}\u25A0-\u25FF\u2600-\u27BF\u2B00-\u2BFF]/gu) ?? [])];
    expect(marks, `CLAIMS.md uses marks that need an emoji or symbol font: ${marks.join(' ')}`).toEqual([]);
  });

  it('should give every claim that does not hold its boundary: where it holds and where it does not', () => {
    for (const c of summary.claims.filter((x) => x.measured !== 'holds')) {
      const at = markdown.indexOf(`### ${c.id}\n`);
      const end = markdown.indexOf('\n### ', at + 4);
      const block = markdown.slice(at, end < 0 ? undefined : end);
      expect(/^Boundary: .{20,}/m.test(block), `${c.id} (${c.measured}): no "Boundary:" line in its entry`).toBe(true);
    }
  });

  it('should say what the models did in the grid of a claim about learning, never its negation', () => {
    const at = markdown.indexOf('### VG-CORE-NO-LONG-LEARNING\n');
    const block = markdown.slice(at, markdown.indexOf('</details>', at));
    expect(block.includes('the claim holds where they did not learn'), 'VG-CORE-NO-LONG-LEARNING: the grid does not say how its cells read').toBe(true);
    const cells = block
      .split('\n')
      .filter((l) => /^\| (recall|adding) \//.test(l))
      .flatMap((l) => l.split(' | ').slice(1))
      .map((x) => x.replace(/[|_]/g, '').trim())
      .filter(Boolean);
    expect(cells.length, 'VG-CORE-NO-LONG-LEARNING: no grid cells').toBeGreaterThan(0);
    for (const x of cells)
      expect(/^(learned|did not learn) \d+\/\d+/.test(x), `VG-CORE-NO-LONG-LEARNING: grid cell "${x}" does not say what the models did`).toBe(true);
  });

  it("should fold every decided claim's regions in a details block under its heading", () => {
    for (const c of summary.claims) {
      const at = markdown.indexOf(`### ${c.id}\n**${verdictWord(c.measured)}:**`);
      expect(at, `${c.id}: no heading "### ${c.id}" followed by its verdict "${verdictWord(c.measured)}"`).toBeGreaterThanOrEqual(0);
      const block = markdown.slice(at, markdown.indexOf('</details>', at));
      expect(block.includes('<details><summary>'), `${c.id}: no <details> between its heading and the next </details> (${block.length} characters)`).toBe(true);
      expect(block.includes('### ', 4), `${c.id}: its details block runs into the next claim`).toBe(false);
    }
  });

  it('should be the committed reports/CLAIMS.md (regenerate with npx tsx scripts/summary.ts)', () => {
    const committed = readFileSync(join(PACKAGE_ROOT, 'reports', 'CLAIMS.md'), 'utf8');
    expect(
      committed === markdown,
      `reports/CLAIMS.md (${Buffer.byteLength(committed)} bytes) differs from summaryMarkdown(reports/claims.json) (${Buffer.byteLength(markdown)} bytes)`,
    ).toBe(true);
  });
});

describe("the README's verdict block", () => {
  it('should show the verdict matrix image above the table of the committed reports/claims.json', () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf(README_MARKERS.start) + README_MARKERS.start.length, readme.indexOf(README_MARKERS.end)).trim();
    expect(block.startsWith('![Verdicts at a glance'), `the README's verdict block starts with "${block.slice(0, 40)}"`).toBe(true);
    expect(
      block === readmeVerdictTable(summary),
      `the README's verdict block (${block.length} characters) differs from readmeVerdictTable(reports/claims.json); run npx tsx scripts/summary.ts`,
    ).toBe(true);
  });
});

describe('links from the README verdict table', () => {
  it('should name, for every section, a spec file that runs exactly that section', () => {
    for (const section of SECTIONS) {
      const spec = SECTION_SPECS[section];
      expect(spec !== undefined && existsSync(join(PACKAGE_ROOT, spec)), `section "${section}" → spec ${spec}`).toBe(true);
      const text = readFileSync(join(PACKAGE_ROOT, spec), 'utf8');
      expect(text.includes(`verifySection(${JSON.stringify(section).replace(/"/g, "'")})`), `${spec} runs verifySection('${section}')`).toBe(true);
    }
    expect(existsSync(join(PACKAGE_ROOT, TRAINING_SPEC)), `training spec ${TRAINING_SPEC}`).toBe(true);
  });

  it('should link every registered claim to a source file that defines it', () => {
    for (const claim of claimsForPlan(trainingPlan('reduced'))) {
      expect(claim.source !== undefined && existsSync(join(PACKAGE_ROOT, claim.source)), `${claim.id}: source ${claim.source}`).toBe(true);
      expect(readFileSync(join(PACKAGE_ROOT, claim.source!), 'utf8').includes(`'${claim.id}'`), `${claim.source} defines ${claim.id}`).toBe(true);
    }
  });
});

describe('key numbers', () => {
  it('should take a range over every seed of a training region even without per-case ranges', () => {
    const c = summary.claims.find((x) => x.regions.some((r) => r.seeds?.some((s) => s.solvedAt !== undefined)));
    expect(c, 'claims.json has no training region with per-seed solvedAt').toBeDefined();
    const k = keyNumberOf(c!);
    const seeds = c!.regions.reduce((n, r) => n + (r.seeds?.length ?? 0), 0);
    expect(k?.name, `${c!.id}: key number ${k?.name}`).toBe('solvedAt');
    expect(k?.measured.cases, `${c!.id}: solvedAt over ${k?.measured.cases} cases, the regions have ${seeds} seeds`).toBe(seeds);
    expect(k?.representativeOnly, `${c!.id}: solvedAt marked as one case per region`).toBe(false);
  });

  it('should print equal ends once, no value as a dash, and count the cases without a value', () => {
    const cases: Array<[Parameters<typeof formatRange>[0], string]> = [
      [{ min: 300, max: 300, cases: 5, missing: 0 }, '300'],
      [{ min: 16.2, max: 17.4, cases: 25, missing: 0 }, '16.2–17.4'],
      [{ min: null, max: null, cases: 5, missing: 5 }, '—'],
      [{ min: 300, max: 7600, cases: 70, missing: 13 }, '300–7600, none in 13/70'],
    ];
    for (const [range, want] of cases) expect(formatRange(range), `formatRange(${JSON.stringify(range)})`).toBe(want);
  });
});
