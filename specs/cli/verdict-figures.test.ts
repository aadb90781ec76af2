import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { keyNumberOf, type Summary } from '../../src/report/summary.js';
import {
  FIGURE_WIDTH,
  MIN_FONT,
  readableExponents,
  sectionFigureFile,
  sectionVerdictSvgs,
  sectionsOf,
  verdictMatrixSvg,
} from '../../src/report/verdict-matrix.js';
import { deCamel, keyNumberWords } from '../../src/report/key-words.js';
import { learnedText, learningSense, verdictWord } from '../../src/report/verdict-words.js';

/**
 * Issue 23: the verdict figures must be readable where they are shown (the README shows
 * reports/verdicts.svg 900 px wide): text at least 11 px there, region boxes labelled, key numbers
 * in words, verdicts in words (readable without colour).
 */

const summary = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'claims.json'), 'utf8')) as Summary;
const overview = await verdictMatrixSvg(summary);
const sections = await sectionVerdictSvgs(summary);
const ids = [...summary.claims.map((c) => c.id), ...summary.pending.map((p) => p.id)];

/** The text of an SVG's text elements, XML entities decoded. */
const textsOf = (svg: string): string[] =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'"),
  );

/** The smallest font size of an SVG's text, in px when the SVG is shown `shown` px wide. */
function smallestShown(svg: string, shown: number): { readonly px: number; readonly width: number } {
  const width = Number(/viewBox="0 0 ([\d.]+) /.exec(svg)?.[1] ?? /width="([\d.]+)"/.exec(svg)?.[1]);
  const sizes = [...svg.matchAll(/font-size="([\d.]+)px"/g)].map((m) => Number(m[1]));
  return { px: (Math.min(...sizes) * shown) / width, width };
}

describe("the verdict figures at the README's width (900 px)", () => {
  it(`should have text of at least ${MIN_FONT} px in the overview and in every section's figure`, () => {
    for (const [name, svg] of [['verdicts.svg', overview], ...sections.map((f) => [f.file, f.svg])] as const) {
      const { px, width } = smallestShown(svg, 900);
      expect(px, `${name}: smallest text is ${px.toFixed(1)} px at 900 px wide (SVG ${width} px wide)`).toBeGreaterThanOrEqual(11);
    }
  });

  it('should lay every figure out at the width it is shown at', () => {
    for (const [name, svg] of [['verdicts.svg', overview], ...sections.map((f) => [f.file, f.svg])] as const) {
      expect(/width="(\d+)"/.exec(svg)?.[1], `${name}: width`).toBe(String(FIGURE_WIDTH));
    }
  });
});

describe('the overview figure (reports/verdicts.svg)', () => {
  const texts = textsOf(overview);

  it('should give every claim a row with its verdict in words and its key number in words', () => {
    const missing = ids.filter((id) => !texts.includes(id));
    expect(missing, `claims missing from the overview: [${missing.join(', ')}]`).toEqual([]);
    for (const c of summary.claims) {
      expect(texts.includes(verdictWord(c.measured)), `${c.id}: no "${verdictWord(c.measured)}" in the overview`).toBe(true);
      const k = c.keyNumber === undefined ? keyNumberOf(c) : c.keyNumber;
      if (k)
        expect(
          texts.some((t) => t.startsWith(keyNumberWords(k.name).words)),
          `${c.id}: key number ${k.name} not in words ("${keyNumberWords(k.name).words}")`,
        ).toBe(true);
    }
    expect(
      texts.some((t) => /\bdecadesPerStep\b|\d(\.\d+)?e-\d/.test(t)),
      'a raw key-number name or an e-notation number in the overview',
    ).toBe(false);
  });

  it('should label its region boxes with their count and verdict', () => {
    const boxes = texts.filter((t) => /^\d+ (holds|refuted|split|budget-limited|broken|probes?)$/.test(t));
    expect(boxes.length, `labelled region boxes: ${boxes.length}`).toBeGreaterThanOrEqual(summary.claims.length);
  });

  it('should be the same for the same summary', async () => {
    const again = await verdictMatrixSvg(summary);
    expect(again === overview, `two renderings of one summary differ (${overview.length} and ${again.length} characters)`).toBe(true);
  });

  it('should be the committed reports/verdicts.svg (regenerate with npx tsx scripts/summary.ts)', () => {
    const committed = readFileSync(join(PACKAGE_ROOT, 'reports', 'verdicts.svg'), 'utf8');
    expect(
      committed === overview,
      `reports/verdicts.svg (${committed.length} characters) differs from verdictMatrixSvg(reports/claims.json) (${overview.length})`,
    ).toBe(true);
  });
});

describe("each section's figure (reports/verdicts-NN.svg)", () => {
  it("should be named by the section's number in the document, one per decided section", () => {
    expect(
      sections.map((f) => f.file),
      'section figure files',
    ).toEqual(sectionsOf(summary).map((s) => sectionFigureFile(s)));
    expect(sectionFigureFile('The Core Problem'), 'the first section').toBe('verdicts-01.svg');
    expect(sectionFigureFile('Summary'), 'the tenth section').toBe('verdicts-10.svg');
  });

  it('should label every region of its claims with its id and its count', () => {
    for (const f of sections) {
      const texts = textsOf(f.svg);
      for (const c of summary.claims.filter((x) => x.section === f.section)) {
        for (const r of c.regions) {
          expect(texts.includes(r.regionId), `${f.file}: ${c.id} [${r.regionId}] has no label with its id`).toBe(true);
          const counted = r.counts.holds + r.counts.fails + r.counts.broken;
          // A claim about learning labels what the models did (learned k/n), as CLAIMS.md's grid does.
          const want = learningSense(c.regions) ? (learnedText(r) ?? '') : `${verdictWord(r.measured)} ${r.counts.holds}/${counted}`;
          expect(
            texts.some((t) => t.endsWith(want)),
            `${f.file}: ${c.id} [${r.regionId}] has no label "${want}"`,
          ).toBe(true);
        }
      }
    }
  });

  it('should be the committed reports/verdicts-NN.svg', () => {
    for (const f of sections)
      expect(
        readFileSync(join(PACKAGE_ROOT, 'reports', f.file), 'utf8') === f.svg,
        `reports/${f.file} differs from its rendering (run npx tsx scripts/summary.ts)`,
      ).toBe(true);
  });
});

describe('key numbers in words (report/key-words.ts)', () => {
  it('should have words for every key number the published summary reports', () => {
    const names = [
      ...new Set(summary.claims.map((c) => (c.keyNumber === undefined ? keyNumberOf(c) : c.keyNumber)?.name).filter((n): n is string => typeof n === 'string')),
    ];
    const fallback = names.filter((n) => keyNumberWords(n).words === deCamel(n) && keyNumberWords(n).unit === '');
    expect(fallback, `key numbers without words: [${fallback.join(', ')}]`).toEqual([]);
  });

  it('should read a name it does not know de-camelCased, with no unit', () => {
    expect(keyNumberWords('farShareWhhMax'), 'unknown key number').toEqual({ words: 'far share whh max', unit: '' });
    expect(keyNumberWords('decadesPerStep'), 'decadesPerStep').toEqual({ words: 'gradient lost per step', unit: 'decades' });
  });

  it('should write e-notation as a power of ten in a figure', () => {
    expect(readableExponents('tanh′(x) 1.06e-260–1'), 'readableExponents').toBe('tanh′(x) 1.06×10⁻²⁶⁰–1');
  });
});
