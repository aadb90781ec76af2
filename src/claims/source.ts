import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This folder (src/claims, or dist/src/claims once built), which every claim file lives under. */
const CLAIMS_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * A claim's source file relative to the package root, from its module's `import.meta.url`
 * (`sourceOf(import.meta.url)` in the file that states the claim), e.g.
 * `src/claims/sections/mitigations/gated.ts`. The same path whether the module runs from src/ or
 * from the built dist/src/, so the README's verdict table can link a claim id to its file.
 */
export function sourceOf(moduleUrl: string): string {
  const rel = relative(CLAIMS_DIR, fileURLToPath(moduleUrl)).split(sep).join('/');
  if (rel.startsWith('..')) throw new RangeError(`sourceOf: ${moduleUrl} is not under src/claims/`);
  return `src/claims/${rel.replace(/\.js$/, '.ts')}`;
}
