import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { measureProfile } from '../../src/cli/profile.js';
import { buildPanel } from '../../src/site/panel-build.js';
import { panelScript } from '../../src/site/panel-bundle.js';
import { type PanelReading, openPanelPage, panelMismatches, readPanel, setPanelControl, waitForPanel } from './site-panel-driver.js';

/**
 * The panel's bundle runs on its own in headless Chromium, opened from disk with no network: the
 * numbers it shows after a reader changes a control are `vg profile`'s float64 column.
 */

/** Small enough to inline in one HTML page: 38 kB of the package's own modules, 110 kB once ml-matrix came in with the spectra (issue 26). */
const MAX_BUNDLE_BYTES = 130_000;

let dir: string;
let html: string;
let script: string;

beforeAll(async () => {
  await resolveBackend();
  script = await panelScript();
  dir = mkdtempSync(join(tmpdir(), 'vg-panel-'));
  html = join(dir, 'panel.html');
  writeFileSync(
    html,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" ` +
      `content="width=device-width, initial-scale=1"><title>panel</title></head><body><div ` +
      `id="vg-panel"></div><script>${script}</script></body></html>`,
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function expectProfileOf(reading: PanelReading, what: string): Promise<void> {
  expect(reading.state, `${what}: panel state`).toBe('ready');
  expect(reading.config, `${what}: data-config`).not.toBeNull();
  const measured = await measureProfile(reading.config!);
  expect(panelMismatches(reading, measured.float64), `${what}: panel against measureProfile(${JSON.stringify(reading.config)})`).toEqual([]);
}

describe('site panel: bundle', () => {
  it("should bundle only the package's own modules and ml-matrix (the oracle's spectra): no @tensorflow, no other dependency, no </script>", async () => {
    const build = await buildPanel(fileURLToPath(new URL('../../src/site/panel/main.ts', import.meta.url)));
    expect(
      build.inputs.filter((i) => /@tensorflow|^node:/.test(i) || (/node_modules/.test(i) && !/node_modules\/ml-matrix\//.test(i))),
      'modules outside src/ and ml-matrix',
    ).toEqual([]);
    expect(script, 'the script names no tfjs module').not.toMatch(/@tensorflow/);
    expect(script.toLowerCase(), 'the script can be inlined in a <script> element').not.toContain('</script');
    expect(script.length, `bundle size ${script.length} bytes against ${MAX_BUNDLE_BYTES}`).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });

  it("should run from disk with no request, and show vg profile's float64 numbers before and after a reader changes T and the cell", async () => {
    await openPanelPage(html, async (page: Page, refused, errors) => {
      const first = await waitForPanel(page);
      await expectProfileOf(first, 'default');
      expect(first.config?.architecture, 'the default cell').toBe('rnn');
      expect(first.rows.length, 'one row per distance at the default T').toBe(50);
      expect(first.rulings.map((r) => r.claim)).toEqual([
        'VG-CORE-EXP-SHRINK',
        'VG-BOUND-GAMMA',
        'VG-GAMMA-COMMON',
        'VG-EIGEN-CAUSE',
        'VG-EIGEN-GROWTH',
        'VG-INIT-ORTHO-GRADIENT',
        'VG-LSTM-DROPIN',
      ]);
      expect(
        first.rulings.map((r) => r.status).every((s) => s === 'holds' || s === 'fails'),
        `rulings ${JSON.stringify(first.rulings)}`,
      ).toBe(true);

      const longer = await setPanelControl(page, 'seqLength', 80);
      expect(longer.rows.length, 'T changed to 80').toBe(80);
      expect(longer.config?.seqLength).toBe(80);
      await expectProfileOf(longer, 'T = 80');

      const lstm = await setPanelControl(page, 'cell', 'lstm-chrono');
      expect(lstm.config?.architecture).toBe('lstm');
      expect(
        lstm.rows.map((r) => r.log10),
        'the values changed with the cell',
      ).not.toEqual(longer.rows.map((r) => r.log10));
      await expectProfileOf(lstm, 'LSTM, chrono');

      await setPanelControl(page, 'cell', 'rnn-relu');
      await setPanelControl(page, 'init', 'normal');
      await setPanelControl(page, 'initScale', 3);
      await setPanelControl(page, 'hiddenSize', 16);
      const overflow = await setPanelControl(page, 'seqLength', 300);
      expect(overflow.rows.filter((r) => r.flag === 'overflow').length, 'the long ReLU run overflows float64').toBeGreaterThan(0);
      await expectProfileOf(overflow, 'ReLU, N(0, 9), T = 300');
      expect(
        overflow.rulings.every((r) => r.status === 'not read'),
        'no claim read on an overflowed run',
      ).toBe(true);
      const text = await page.evaluate(() => document.getElementById('vg-panel')?.innerText ?? '');
      expect(text, 'no unflagged non-number shown').not.toMatch(/NaN|Infinity/);

      const invalid = await setPanelControl(page, 'init', 'uniform').then(() => setPanelControl(page, 'initScale', 0));
      expect(invalid.state, 'U(−0, 0) is refused by the validator').toBe('error');
      expect(invalid.config, 'no configuration drawn').toBeNull();
      const alert = await page.$eval('#vg-panel [role=alert]', (e) => e.textContent ?? '');
      expect(alert, "the validator's message, naming the field").toMatch(/recurrentInit\.high/);

      expect(errors, 'page errors').toEqual([]);
      expect(refused, 'requests outside file: and data:').toEqual([]);
    });
  });

  for (const width of [390, 1280]) {
    it(`should fit ${width} px without horizontal scrolling, with text of at least 12 px`, async () => {
      await openPanelPage(
        html,
        async (page, refused) => {
          await waitForPanel(page);
          const layout = await page.evaluate(() => {
            const root = document.getElementById('vg-panel') as HTMLElement;
            const texts = [...root.querySelectorAll<HTMLElement | SVGElement>('label, select, input, output, li, p, summary, svg text')].filter(
              (e) => e.getBoundingClientRect().height > 0,
            );
            const svg = root.querySelector('svg.vg-plot') as SVGSVGElement;
            const smallest = Math.min(
              ...texts.map((e) =>
                e.getBoundingClientRect().height > 0 && e.tagName === 'text'
                  ? e.getBoundingClientRect().height * 0.8 // an SVG text's box is about 1.25 × its rendered font size
                  : parseFloat(getComputedStyle(e).fontSize),
              ),
            );
            return {
              scrollWidth: document.documentElement.scrollWidth,
              smallest,
              viewBox: svg.getAttribute('viewBox'),
              svgWidth: svg.getBoundingClientRect().width,
            };
          });
          expect(layout.scrollWidth, `page width at ${width} px`).toBeLessThanOrEqual(width);
          expect(layout.smallest, `smallest text at ${width} px`).toBeGreaterThanOrEqual(12);
          expect(layout.viewBox, 'the plot scales by its viewBox').toMatch(/^0 0 \d+ \d+$/);
          expect(refused).toEqual([]);
          const reading = await readPanel(page);
          expect(reading.state).toBe('ready');
        },
        { width },
      );
    });
  }
});
