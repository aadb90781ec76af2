/**
 * Bundles the live panel (src/site/panel/main.ts) for the browser with esbuild, a dev dependency:
 * called in-process when running from sources (panel-bundle.ts) and by scripts/build-site.mjs at
 * `npm run build`, so both make the same script.
 */

/** What bundling produced: the script, and every module it holds (for checking that tfjs is not among them). */
export interface PanelBuild {
  readonly script: string;
  readonly inputs: readonly string[];
}

/** Bundles `entry` (the path of src/site/panel/main.ts) as one minified IIFE with no import left. */
export async function buildPanel(entry: string): Promise<PanelBuild> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  // The panel computes with the float64 oracle; tfjs (megabytes, and a backend to load) has no place in it. Of the
  // package's dependencies only ml-matrix may come along: the oracle's spectra (probes/spectra.ts) compute with it.
  const heavy = inputs.filter((i) => /node_modules/.test(i) && !/node_modules\/ml-matrix\//.test(i));
  if (heavy.length > 0) {
    throw new Error(`buildPanel: the panel bundle must hold only the package's own modules and ml-matrix, but it imports ${heavy.join(', ')}`);
  }
  return { script: result.outputFiles[0].text, inputs };
}
