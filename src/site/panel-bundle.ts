import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildPanel } from './panel-build.js';
import { PANEL_CSS } from './panel-styles.js';

/**
 * The live panel's script for the verdict site to inline. From an installed package (this module
 * compiled to dist/src/site/), the prebuilt dist/site/panel.js that `npm run build` writes; from
 * the sources (tsx, vitest: this file is .ts), bundled in-process with esbuild, once per process.
 */
let fromSources: Promise<string> | undefined;
export async function panelScript(): Promise<string> {
  if (import.meta.url.endsWith('.ts')) {
    fromSources ??= buildPanel(fileURLToPath(new URL('./panel/main.ts', import.meta.url))).then((b) => b.script);
    return fromSources;
  }
  const prebuilt = new URL('../../site/panel.js', import.meta.url);
  try {
    return readFileSync(prebuilt, 'utf8');
  } catch (e) {
    throw new Error(`panelScript: no prebuilt panel at ${fileURLToPath(prebuilt)} (npm run build writes it): ${(e as Error).message}`);
  }
}

/** The panel's CSS, scoped under #vg-panel. The script adds it itself when the page has no `<style id="vg-panel-style">`; a page may put it there instead. */
export function panelStyles(): string {
  return PANEL_CSS;
}
