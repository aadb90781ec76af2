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
      expect(shown.has(name), `README lacks <!-- figure:${name} -->`).toBe(true);
      expect(Number(shown.get(name)!.replace(/[ ,]/g, '')), `README figure ${name}`).toBe(value);
    }
  });

  it('should hold no figure the tests do not define', () => {
    expect([...shown.keys()].filter((k) => !(k in README_FIGURES))).toEqual([]);
  });
});
