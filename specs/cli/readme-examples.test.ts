import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/cli/paths.js';

// The README shows examples/ verbatim: each block follows `<!-- example: examples/FILE -->`.
// examples/my-lstm.test.ts runs in the claims project; both run in a user's project in specs/consumer.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const shown = [...readme.matchAll(/<!-- example: (examples\/[\w.-]+) -->\n```\w*\n([\s\S]*?)```\n/g)].map((m) => ({ file: m[1]!, code: m[2]! }));

describe("the README's examples", () => {
  it('should show every file of examples/, each exactly once', () => {
    const files = readdirSync(join(ROOT, 'examples'))
      .map((f) => `examples/${f}`)
      .sort();
    const blocks = shown.map((s) => s.file).sort();
    expect(blocks, `README example blocks [${blocks.join(', ')}] against examples/ [${files.join(', ')}]`).toEqual(files);
  });

  it('should show each example exactly as the file holds it', () => {
    for (const { file, code } of shown) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(code, `README block for ${file} (${code.length} characters) against the file (${text.length} characters)`).toBe(text);
    }
  });
});
