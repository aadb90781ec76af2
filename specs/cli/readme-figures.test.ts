import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/cli/paths.js';
import { README_FIGURES } from '../figures.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const shown = new Map([...readme.matchAll(/<!-- figure:([a-z0-9-]+) -->([^<]*)<!-- \/figure -->/g)].map((m) => [m[1], m[2]]));

describe('the figures the README states about the tests', () => {
  it('should show every figure, each equal to what the tests use', () => {
    for (const [name, value] of Object.entries(README_FIGURES)) {
      expect(shown.has(name), `README lacks <!-- figure:${name} --> (figures shown: ${[...shown.keys()].join(', ')})`).toBe(true);
      const stated = Number(shown.get(name)!.replace(/[ ,]/g, ''));
      expect(stated, `README figure ${name}: ${stated} against ${value} in specs/figures.ts`).toBe(value);
    }
  });

  it('should hold no figure the tests do not define', () => {
    const unknown = [...shown.keys()].filter((k) => !(k in README_FIGURES));
    expect(unknown, `README figures not in specs/figures.ts: [${unknown.join(', ')}]`).toEqual([]);
  });
});
