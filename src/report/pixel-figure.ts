import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './plot.js';

/**
 * A figure laid out in pixels (boxes and text at fixed places), rendered through vega-lite like
 * every other chart here (plot.ts renderSvg: headless, deterministic). The verdict figures use it
 * because their text must keep a size in the SVG's own units (issue 23: at least 11 px when the
 * SVG is shown 900 px wide), which a layout computed here guarantees and an autosized chart does not.
 */

/** A box, its top-left corner at (x, y). */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly fill: string;
  readonly stroke: string;
  /** Dashed outline (a boundary probe), solid otherwise. */
  readonly dashed: boolean;
  readonly opacity: number;
  /** What a screen reader and a tooltip say of it. */
  readonly description: string;
}

/** A line of text, its baseline's left end (or middle, or right end) at (x, y). */
export interface PixelText {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  /** Font size in the SVG's own units (px at its natural width). */
  readonly size: number;
  readonly bold: boolean;
  readonly colour: string;
  readonly align: 'left' | 'center' | 'right';
}

/** A whole figure: its size in px, its boxes, its text. */
export interface PixelFigure {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly PixelBox[];
  readonly texts: readonly PixelText[];
}

/** Average advance of a sans-serif character, as a share of the font size (for fitting text; deliberately generous). */
export const CHAR_WIDTH = 0.56;

/** Text cut to fit `width` px at `size`, with an ellipsis when cut. */
export function fitText(text: string, width: number, size: number): string {
  const max = Math.floor(width / (CHAR_WIDTH * size));
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** Text broken into at most `lines` lines of `width` px at `size`, at spaces; the last line cut to fit. */
export function wrapText(text: string, width: number, size: number, lines: number): string[] {
  const max = Math.floor(width / (CHAR_WIDTH * size));
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > 0 && out.length < lines - 1) {
    if (rest.length <= max) break;
    const cut = rest.lastIndexOf(' ', max);
    const at = cut > 0 ? cut : max;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) out.push(fitText(rest, width, size));
  return out;
}

const pixels = { type: 'quantitative', scale: null } as const;

/** The vega-lite spec of a pixel figure: boxes then text, no axes, no padding, its own size. */
export function pixelFigureVegaLite(f: PixelFigure, title: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: title,
    width: f.width,
    height: f.height,
    padding: 0,
    autosize: { type: 'none' },
    background: 'white',
    config: { view: { stroke: null } },
    layer: [
      {
        data: { values: f.boxes.map((b) => ({ ...b, x2: b.x + b.w, y2: b.y + b.h, dash: b.dashed ? 'dashed' : 'solid' })) },
        mark: { type: 'rect', strokeWidth: 1 },
        encoding: {
          x: { field: 'x', ...pixels },
          x2: { field: 'x2' },
          y: { field: 'y', ...pixels },
          y2: { field: 'y2' },
          fill: { field: 'fill', type: 'nominal', scale: null },
          stroke: { field: 'stroke', type: 'nominal', scale: null },
          fillOpacity: { field: 'opacity', type: 'quantitative', scale: null },
          strokeDash: {
            field: 'dash',
            type: 'nominal',
            scale: {
              domain: ['solid', 'dashed'],
              range: [
                [1, 0],
                [4, 2],
              ],
            },
            legend: null,
          },
          description: { field: 'description' },
        },
      },
      ...(['left', 'center', 'right'] as const).flatMap((align) =>
        ([false, true] as const).map((bold) => ({
          data: { values: f.texts.filter((t) => t.align === align && t.bold === bold) },
          // The text is its own label: no aria-label repeating it with its coordinates.
          mark: { type: 'text', align, baseline: 'alphabetic', fontWeight: bold ? 'bold' : 'normal', font: 'sans-serif', aria: false },
          encoding: {
            x: { field: 'x', ...pixels },
            y: { field: 'y', ...pixels },
            text: { field: 'text', type: 'nominal' },
            size: { field: 'size', type: 'quantitative', scale: null },
            color: { field: 'colour', type: 'nominal', scale: null },
          },
        })),
      ),
    ],
  } as unknown as TopLevelSpec;
}

/** Renders a pixel figure to SVG (width and viewBox its own size). */
export function pixelFigureSvg(f: PixelFigure, title: string): Promise<string> {
  return renderSvg(pixelFigureVegaLite(f, title), { aria: true });
}
