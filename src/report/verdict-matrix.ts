import { CHAR_WIDTH, type PixelBox, type PixelFigure, type PixelText, fitText, pixelFigureSvg, wrapText } from './pixel-figure.js';
import {
  type ClaimSummary,
  type Summary,
  inDocumentOrder,
  keyNumberOf,
  keyNumberWordsLine,
  premiseRegions,
  regionCounts,
  roleOf,
  sectionFigureFile,
  sectionsOf,
} from './summary.js';

export { sectionFigureFile, sectionsOf } from './summary.js';
import { learnedText, learningSense, verdictWord } from './verdict-words.js';

/**
 * The verdict figures (issues 16 and 23), readable where they are shown: 900 px wide, the README's
 * width, so their text (at least 11 px in the SVG's own units) is at least 11 px there.
 * `verdicts.svg` is the overview: a row per claim with its verdict in words, its premise regions
 * counted by verdict in labelled boxes, its boundary probes, and its key number in words. One
 * figure per document section, `verdicts-NN.svg` (NN the section's number, as the specs number
 * them), shows every region as a labelled box: its id and its count. Colour repeats what the words say.
 */

/** Region verdicts in legend order: the word and the colour (Okabe–Ito, safe for colour-blind readers; black text reads on each but the last). */
export const VERDICT_COLOURS: ReadonlyArray<{ readonly verdict: string; readonly label: string; readonly colour: string; readonly text: string }> = [
  { verdict: 'holds', label: 'holds', colour: '#009E73', text: '#000000' },
  { verdict: 'refuted', label: 'refuted', colour: '#D55E00', text: '#000000' },
  { verdict: 'mixed', label: 'split', colour: '#E69F00', text: '#000000' },
  { verdict: 'budget-limited', label: 'budget-limited', colour: '#56B4E9', text: '#000000' },
  { verdict: 'numerically-broken', label: 'numerically broken', colour: '#000000', text: '#FFFFFF' },
];

/** The width every verdict figure is laid out at: the README shows it at this width, so sizes here are sizes there. */
export const FIGURE_WIDTH = 900;
/** The smallest text in a verdict figure (px at FIGURE_WIDTH). */
export const MIN_FONT = 11;
const FONT = 12;
const MARGIN = 12;
const INK = '#000000';
const GREY = '#333333';
const colourOf = (v: string): { readonly colour: string; readonly text: string } =>
  VERDICT_COLOURS.find((c) => c.verdict === v) ?? { colour: '#FFFFFF', text: INK };

/** `1.06e-260` as `1.06×10⁻²⁶⁰`: a figure is read, not parsed. */
export function readableExponents(text: string): string {
  const sup = (d: string): string => d.replace(/[-+\d]/g, (ch) => (({ '-': '⁻', '+': '' }) as Record<string, string>)[ch] ?? '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(ch)]);
  return text.replace(/(\d(?:\.\d+)?)e([-+]?\d+)/g, (_, m: string, e: string) => `${m}×10${sup(e)}`);
}

/** A labelled box: fill by verdict, a dashed outline for a boundary probe, text inside in black (white on black). */
function labelled(
  x: number,
  y: number,
  w: number,
  h: number,
  verdict: string | null,
  lines: readonly string[],
  probe: boolean,
  description: string,
): { box: PixelBox; texts: PixelText[] } {
  const c = verdict === null ? { colour: '#FFFFFF', text: INK } : colourOf(verdict);
  const box: PixelBox = {
    x,
    y,
    w,
    h,
    fill: c.colour,
    stroke: probe || verdict === null ? GREY : c.colour,
    dashed: probe,
    opacity: probe ? 0.35 : 1,
    description,
  };
  const colour = probe ? INK : c.text;
  const texts = lines.map((text, i) => ({
    x: x + 5,
    y: y + 14 + i * 14,
    text: fitText(text, w - 10, MIN_FONT),
    size: MIN_FONT,
    bold: false,
    colour,
    align: 'left' as const,
  }));
  return { box, texts };
}

/** The figure's title and its lines of explanation; returns the y below them. */
function heading(texts: PixelText[], title: string, lines: readonly string[]): number {
  texts.push({ x: MARGIN, y: 24, text: fitText(title, FIGURE_WIDTH - 2 * MARGIN, 16), size: 16, bold: true, colour: INK, align: 'left' });
  const wrapped = wrapText(lines.join(' '), FIGURE_WIDTH - 2 * MARGIN, FONT, 4);
  wrapped.forEach((l, i) => texts.push({ x: MARGIN, y: 44 + i * 16, text: l, size: FONT, bold: false, colour: GREY, align: 'left' }));
  return 44 + wrapped.length * 16;
}

/** A legend row of the verdict words on their colours, and a probe's dashed box. */
function legend(boxes: PixelBox[], texts: PixelText[], y: number): number {
  let x = MARGIN;
  for (const v of VERDICT_COLOURS) {
    const w = v.label.length * CHAR_WIDTH * MIN_FONT + 12;
    const l = labelled(x, y, w, 20, v.verdict, [v.label], false, v.label);
    boxes.push(l.box);
    texts.push(...l.texts);
    x += w + 6;
  }
  const l = labelled(x, y, 190, 20, null, ['dashed: boundary probe'], true, 'boundary probe: not in the verdict');
  boxes.push(l.box);
  texts.push(...l.texts);
  return y + 32;
}

const ID_X = MARGIN;
const VERDICT_X = 215;
const TALLY_X = 315;

/** The overview's row of a claim: id, verdict, premise regions counted by verdict, probes; the key number below. */
function claimRow(c: ClaimSummary, y: number, boxes: PixelBox[], texts: PixelText[]): number {
  texts.push({ x: ID_X, y: y + 14, text: c.id, size: FONT, bold: false, colour: INK, align: 'left' });
  texts.push({ x: VERDICT_X, y: y + 14, text: verdictWord(c.measured), size: FONT, bold: true, colour: INK, align: 'left' });
  const n = regionCounts(c);
  const tallies: Array<[string | null, number, string, boolean]> = [
    ['holds', n.holds, 'holds', false],
    ['refuted', n.refuted, 'refuted', false],
    ['mixed', n.split, 'split', false],
    ['budget-limited', n.budgetLimited, 'budget-limited', false],
    ['numerically-broken', premiseRegions(c.regions).filter((r) => r.measured === 'numerically-broken').length, 'broken', false],
    [null, n.probes, n.probes > 1 ? 'probes' : 'probe', true],
  ];
  let x = TALLY_X;
  for (const [verdict, count, word, probe] of tallies) {
    if (count === 0) continue;
    const text = `${count} ${word}`;
    const w = text.length * CHAR_WIDTH * MIN_FONT + 12;
    const l = labelled(x, y, w, 20, verdict, [text], probe, `${c.id}: ${text}${probe ? ' (boundary probes, not in the verdict)' : ' (premise regions)'}`);
    boxes.push(l.box);
    texts.push(...l.texts);
    x += w + 4;
  }
  const key = readableExponents(keyNumberWordsLine(c.keyNumber === undefined ? keyNumberOf(c) : c.keyNumber));
  if (key)
    texts.push({
      x: VERDICT_X,
      y: y + 34,
      text: fitText(key, FIGURE_WIDTH - VERDICT_X - MARGIN, MIN_FONT),
      size: MIN_FONT,
      bold: false,
      colour: GREY,
      align: 'left',
    });
  return y + (key ? 42 : 28);
}

/** The overview figure's layout: sections in the document's order, a row per claim (pending claims say so). */
export function verdictOverview(summary: Summary): PixelFigure {
  const boxes: PixelBox[] = [],
    texts: PixelText[] = [];
  let y = heading(texts, `Verdicts on the claims of ${summary.document}`, [
    `A row per claim, in the document's order: its verdict, its premise regions counted by verdict, its boundary probes (not in the verdict),`,
    `and its key number over every case, measured (claimed). Seed ${summary.seed}, backend ` +
      `${summary.backends.join(', ') || 'none'}. Each section's regions, one by one: the figure named beside it.`,
  ]);
  y = legend(boxes, texts, y + 4);
  const entries = inDocumentOrder<{ readonly id: string; readonly section: string; readonly claim?: ClaimSummary }>([
    ...summary.claims.map((c) => ({ id: c.id, section: c.section, claim: c })),
    ...summary.pending.map((p) => ({ id: p.id, section: p.section })),
  ]);
  const all = sectionsOf(summary);
  entries.forEach((e, i) => {
    if (i === 0 || entries[i - 1].section !== e.section) {
      y += 8;
      texts.push({ x: MARGIN, y: y + 14, text: `${e.section} (${sectionFigureFile(e.section, all)})`, size: 13, bold: true, colour: INK, align: 'left' });
      boxes.push({ x: MARGIN, y: y + 19, w: FIGURE_WIDTH - 2 * MARGIN, h: 1, fill: GREY, stroke: GREY, dashed: false, opacity: 1, description: e.section });
      y += 26;
    }
    if (e.claim) y = claimRow(e.claim, y, boxes, texts);
    else {
      texts.push(
        { x: ID_X, y: y + 14, text: e.id, size: FONT, bold: false, colour: INK, align: 'left' },
        { x: VERDICT_X, y: y + 14, text: 'pending: not decided here (see CLAIMS.md)', size: FONT, bold: true, colour: INK, align: 'left' },
      );
      y += 28;
    }
  });
  return { width: FIGURE_WIDTH, height: y + MARGIN, boxes, texts };
}

const CELL_W = 215;
const CELL_H = 34;
const PER_LINE = Math.floor((FIGURE_WIDTH - 2 * MARGIN + 4) / (CELL_W + 4));

/**
 * A region's count as its box says it: the cases (seeds, for training) where the predicate holds,
 * of those counted; for a claim decided by whether the models learn, what they did (CLAIMS.md's grids do the same).
 */
function regionCount(r: ClaimSummary['regions'][number], learning: boolean): string {
  const counted = r.counts.holds + r.counts.fails + r.counts.broken;
  const did = learning ? learnedText(r) : null;
  return `${roleOf(r) === 'boundary' ? 'probe: ' : ''}${did ?? `${verdictWord(r.measured)} ${r.counts.holds}/${counted}`}`;
}

/** A section's figure: each claim's id, verdict and statement, then every region as a labelled box. */
export function sectionVerdicts(summary: Summary, section: string): PixelFigure {
  const boxes: PixelBox[] = [],
    texts: PixelText[] = [];
  let y = heading(texts, `${section}: verdicts by region`, [
    `Each box: a region, and the cases (training: seeds) where the claim's predicate holds / cases ` +
      `counted. Seed ${summary.seed}, backend ${summary.backends.join(', ') || 'none'}.`,
  ]);
  y = legend(boxes, texts, y + 4);
  for (const c of inDocumentOrder(summary.claims).filter((x) => x.section === section)) {
    y += 8;
    texts.push(
      { x: MARGIN, y: y + 14, text: c.id, size: 13, bold: true, colour: INK, align: 'left' },
      { x: VERDICT_X + 40, y: y + 14, text: verdictWord(c.measured), size: 13, bold: true, colour: INK, align: 'left' },
    );
    y += 20;
    const sense = learningSense(c.regions);
    const note = sense ? ` Boxes: seeds that learned; the claim holds where they ${sense === 'learned' ? 'learned' : 'did not learn'}.` : '';
    for (const line of wrapText(`${c.statement}${note}`, FIGURE_WIDTH - 2 * MARGIN, MIN_FONT, 3)) {
      texts.push({ x: MARGIN, y: y + 12, text: line, size: MIN_FONT, bold: false, colour: GREY, align: 'left' });
      y += 15;
    }
    y += 4;
    c.regions.forEach((r, i) => {
      const x = MARGIN + (i % PER_LINE) * (CELL_W + 4);
      const top = y + Math.floor(i / PER_LINE) * (CELL_H + 4);
      const count = regionCount(r, sense !== null);
      const l = labelled(
        x,
        top,
        CELL_W,
        CELL_H,
        r.measured,
        [r.regionId, count],
        roleOf(r) === 'boundary',
        `${c.id} [${r.regionId}]: ${count}${sense ? ` (${verdictWord(r.measured)})` : ''}`,
      );
      boxes.push(l.box);
      texts.push(...l.texts);
    });
    y += Math.ceil(c.regions.length / PER_LINE) * (CELL_H + 4);
  }
  return { width: FIGURE_WIDTH, height: y + MARGIN, boxes, texts };
}

/** The overview SVG (reports/verdicts.svg). The same summary gives byte-identical SVG. */
export async function verdictMatrixSvg(summary: Summary): Promise<string> {
  return pixelFigureSvg(verdictOverview(summary), `Verdicts on the claims of ${summary.document}`);
}

/** Every section's figure, `verdicts-NN.svg`, in the document's order. */
export async function sectionVerdictSvgs(summary: Summary): Promise<Array<{ readonly file: string; readonly section: string; readonly svg: string }>> {
  const all = sectionsOf(summary);
  return Promise.all(
    all.map(async (section) => ({
      file: sectionFigureFile(section, all),
      section,
      svg: await pixelFigureSvg(sectionVerdicts(summary, section), `${section}: verdicts by region`),
    })),
  );
}
