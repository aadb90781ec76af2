// After tsc (npm run build): bundles the verdict site's live panel into dist/site/panel.js, which
// panelScript() reads in an installed package. Uses the compiled buildPanel, so sources and package bundle alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildPanel } from '../dist/src/site/panel-build.js';

const { script, inputs } = await buildPanel('src/site/panel/main.ts');
mkdirSync('dist/site', { recursive: true });
writeFileSync('dist/site/panel.js', script);
// On stderr: npm pack --json runs this through prepack, and its stdout must be the JSON alone.
process.stderr.write(`dist/site/panel.js: ${script.length} bytes from ${inputs.length} modules\n`);
