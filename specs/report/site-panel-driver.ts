import type { Page } from 'puppeteer-core';
import type { ModelConfig } from '../../src/config/types.js';
import { isCloseLog10 } from '../../src/numerics/close.js';
import type { ChainProfile } from '../../src/numerics/jacobian-chain.js';
import { openReport } from './browser.js';

/**
 * Drives the verdict site's live panel (src/site/panel/main.ts) in a page, through its DOM
 * contract only: `#vg-panel[data-config][data-revision][data-state]`, named controls, and
 * `table#vg-panel-values tr[data-distance]` with `data-log10`, `data-flag` and `data-bound`.
 * Shared by the panel's own test and the site reader's test on the full page.
 */

/** One row of the values table: a number, or null with the oracle's flag. */
export interface PanelRow {
  readonly distance: number;
  readonly log10: number | null;
  readonly flag: 'overflow' | 'zero' | null;
  readonly bound: number | null;
}

/** What the panel shows at one moment. */
export interface PanelReading {
  readonly state: 'ready' | 'error';
  readonly revision: number;
  /** The ModelConfig the numbers come from (null when the panel shows a configuration error). */
  readonly config: ModelConfig | null;
  readonly rows: readonly PanelRow[];
  /** Each claim ruled on this configuration: holds, fails or not read. */
  readonly rulings: ReadonlyArray<{ readonly claim: string; readonly status: string; readonly text: string }>;
}

/**
 * The page-side reading, as source text: a function passed to page.evaluate is serialised, and a
 * transpiler that names functions (tsx's keepNames injects `__name(...)` calls) would break it in the page.
 */
const READ_PANEL = `(() => {
  const root = document.getElementById('vg-panel');
  if (!root) throw new Error('readPanel: no #vg-panel in the page');
  const numberOrNull = (s) => (s === undefined || s === '' ? null : Number(s));
  const rows = [...root.querySelectorAll('table#vg-panel-values tr[data-distance]')].map((tr) => ({
    distance: Number(tr.dataset.distance), log10: numberOrNull(tr.dataset.log10), flag: tr.dataset.flag || null, bound: numberOrNull(tr.dataset.bound),
  }));
  const rulings = [...root.querySelectorAll('[data-claim]')].map((li) => ({ claim: li.dataset.claim ?? '', status: li.dataset.status ?? '', text: li.textContent ?? '' }));
  return { state: root.dataset.state, revision: Number(root.dataset.revision), config: root.dataset.config ? JSON.parse(root.dataset.config) : null, rows, rulings };
})()`;

/** Reads the panel's current numbers from the DOM. */
export async function readPanel(page: Page): Promise<PanelReading> {
  return (await page.evaluate(READ_PANEL)) as PanelReading;
}

/** Waits until the panel has drawn at least once (data-revision set). */
export async function waitForPanel(page: Page, timeoutMs = 30_000): Promise<PanelReading> {
  await page.waitForSelector('#vg-panel[data-revision]', { timeout: timeoutMs });
  return readPanel(page);
}

/**
 * Sets the control named `name` (cell, init, initScale, hiddenSize, seqLength, seed) to `value` as
 * a reader would, firing input and change, and returns the panel once it has redrawn.
 */
export async function setPanelControl(page: Page, name: string, value: string | number, timeoutMs = 30_000): Promise<PanelReading> {
  const before = (await readPanel(page)).revision;
  await page.evaluate(
    (n: string, v: string) => {
      const control = document.querySelector<HTMLInputElement | HTMLSelectElement>(`#vg-panel [name="${n}"]`);
      if (!control) throw new Error(`setPanelControl: the panel has no control named ${n}`);
      control.value = v;
      if (control.value !== v) throw new Error(`setPanelControl: ${n} does not take ${v} (it holds ${control.value})`);
      control.dispatchEvent(new Event('input', { bubbles: true }));
      control.dispatchEvent(new Event('change', { bubbles: true }));
    },
    name,
    String(value),
  );
  await page.waitForFunction((r: number) => Number(document.getElementById('vg-panel')?.dataset.revision) > r, { timeout: timeoutMs }, before);
  return readPanel(page);
}

/**
 * Where the panel's rows disagree with `vg profile`'s float64 column (measureProfile(config).float64):
 * each row's value within `decades` (isCloseLog10), and its flag equal. Empty when they agree.
 */
export function panelMismatches(reading: PanelReading, float64: ChainProfile, decades = 1e-4): string[] {
  const T = float64.log10GradState.length;
  if (reading.rows.length !== T) return [`${reading.rows.length} rows against T = ${T}`];
  const out: string[] = [];
  for (const row of reading.rows) {
    const t = T - 1 - row.distance;
    const flag = float64.state.overflow[t] ? 'overflow' : float64.state.zero[t] ? 'zero' : null;
    const expected = float64.log10GradState[t];
    if (row.flag !== flag) out.push(`distance ${row.distance}: flag ${row.flag} against ${flag}`);
    else if (flag === null && !isCloseLog10(row.log10, expected, decades))
      out.push(`distance ${row.distance}: ${row.log10} against ${expected} (tolerance ${decades} decades)`);
    else if (flag !== null && row.log10 !== null) out.push(`distance ${row.distance}: flagged ${flag} but shows ${row.log10}`);
    if (out.length >= 5) break;
  }
  return out;
}

/**
 * Opens `htmlPath` via file:// in a fresh headless Chromium at `width` px, refusing and recording
 * every request outside file: and data:, and runs `use` on the page. Page errors are collected too.
 */
export async function openPanelPage<T>(
  htmlPath: string,
  use: (page: Page, refused: readonly string[], errors: readonly string[]) => Promise<T>,
  { width = 1280, timeoutMs = 60_000 }: { readonly width?: number; readonly timeoutMs?: number } = {},
): Promise<T> {
  return openReport(
    htmlPath,
    async (page, refused, errors) => {
      await page.setViewport({ width, height: 900 });
      return use(page, refused, errors);
    },
    timeoutMs,
    '#vg-panel',
  );
}
