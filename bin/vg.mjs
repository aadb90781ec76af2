#!/usr/bin/env node
// The `vg` command: the compiled CLI in dist/ (built by `npm run build`, which `npm pack` runs).
// In a checkout that has not been built, say so instead of failing on a missing module.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('vg: this checkout is not built (dist/ is missing). Run `npm run build`, or `npm run vg -- <command>` to run from the sources.\n');
  process.exit(2);
}
await import(cli.href);
