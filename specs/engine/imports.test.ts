import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of src/, properties/ and specs/, from each file's syntax tree: static
 * imports and re-exports (type-only ones included, since `import type` cycles still tangle
 * the layers), `import('…')` calls and `typeof import('…')` types. Only relative specifiers
 * are followed; `.js` resolves to the `.ts` source. Issue 15's "Done when": no cycle, and
 * nothing in src/ reaches specs/, properties/ or the CLI.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WALKED = ['src', 'properties', 'specs'];

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier a file names, whether the import is for values or for types only. */
function specifiersOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The file a relative specifier names (`./a.js` → `./a.ts`), or null when it is a package or not a source file. */
function resolveSpecifier(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = resolve(dirname(from), specifier);
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), `${target}.ts`, join(target, 'index.ts')];
  return candidates.find((c) => /\.(ts|mts)$/.test(c) && existsSync(c)) ?? null;
}

/** Repository-relative path with forward slashes, as the messages print it. */
const rel = (path: string): string => relative(ROOT, path).split(sep).join('/');

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of WALKED.flatMap((d) => sourceFiles(join(ROOT, d)))) {
    const targets = specifiersOf(file)
      .map((s) => resolveSpecifier(file, s))
      .filter((t): t is string => t !== null);
    graph.set(rel(file), [...new Set(targets.map(rel))]);
  }
  return graph;
}

/** The strongly connected components of a directed graph that hold a cycle: more than one node, or a node importing itself. */
function cyclicComponents(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strongConnect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strongConnect(v);
  return components.filter((c) => c.length > 1 || (graph.get(c[0]) ?? []).includes(c[0])).map((c) => c.sort());
}

/** One closed path through each cyclic component: every cycle of the graph runs inside one of them. */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  return cyclicComponents(graph).map((c) => closedPath(graph, new Set(c)));
}

/** A shortest path from the component's first node (alphabetically) back to itself, inside the component. */
function closedPath(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/** The layer of a file in src/: its top-level folder (`src/oracle/cells.ts` → `oracle`), or the file for src/index.ts. */
const layerOf = (file: string): string => file.split('/').slice(0, 2).join('/').replace(/\.ts$/, '');

/** src/ folders as nodes, one edge per folder that some file of one imports from a file of the other. */
function layerGraph(graph: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const layers = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    if (!file.startsWith('src/')) continue;
    const from = layerOf(file);
    const edges = layers.get(from) ?? new Set<string>();
    for (const t of targets) if (t.startsWith('src/') && layerOf(t) !== from) edges.add(layerOf(t));
    layers.set(from, edges);
  }
  return new Map([...layers].map(([k, v]) => [k, [...v].sort()]));
}

/** Which file of `from` imports which file of `to`, for the message. */
function witnesses(graph: ReadonlyMap<string, readonly string[]>, from: string, to: string): string[] {
  return [...graph].flatMap(([file, targets]) => (layerOf(file) === from ? targets.filter((t) => layerOf(t) === to).map((t) => `${file} → ${t}`) : []));
}

const show = (cycles: readonly string[][]): string => cycles.map((c) => c.join(' → ')).join('\n');

describe('import graph of src/, properties/ and specs/', () => {
  const graph = importGraph();

  it('should find the files it walks and their relative imports', () => {
    const edges = [...graph.values()].reduce((n, t) => n + t.length, 0);
    expect(graph.has('src/index.ts'), `src/index.ts among ${graph.size} walked files`).toBe(true);
    expect(graph.get('specs/engine/imports.test.ts'), 'this file imports nothing relative').toEqual([]);
    expect(edges, `${edges} relative imports among ${graph.size} files`).toBeGreaterThan(graph.size);
  });

  it('should detect a cycle in a graph built to have one', () => {
    const cycles = cyclesOf(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a', 'd']],
        ['d', []],
        ['e', ['e']],
      ]),
    );
    expect(cycles, `cycles found: ${show(cycles)}`).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'e'],
    ]);
  });

  it('should have no import cycle between files', () => {
    const cycles = cyclesOf(graph);
    expect(cycles.length, `import cycles between files:\n${show(cycles)}`).toBe(0);
  });

  // The cycles issue 15 named (models ↔ oracle, numerics ↔ oracle) ran between folders, never
  // between two files: models/params.ts imported oracle/matrix.ts, oracle/cells.ts imported models/params.ts.
  it('should have no import cycle between the folders of src/', () => {
    const layers = layerGraph(graph);
    // Every import between two folders of one component, so the message shows what to move.
    const detail = cyclicComponents(layers).map((c) => {
      const inside = c.flatMap((from) => (layers.get(from) ?? []).filter((to) => c.includes(to)).flatMap((to) => witnesses(graph, from, to)));
      return `${c.join(', ')}:\n  ${inside.join('\n  ')}`;
    });
    expect(detail.length, `import cycles between folders of src/:\n${show(cyclesOf(layers))}\nimports inside each cycle:\n${detail.join('\n')}`).toBe(0);
  });

  it('should have src/linalg/ import nothing but itself', () => {
    const outside = [...graph].flatMap(([file, targets]) =>
      file.startsWith('src/linalg/') ? targets.filter((t) => !t.startsWith('src/linalg/')).map((t) => `${file} → ${t}`) : [],
    );
    expect(outside, `src/linalg/ is the base layer (float64 matrices); it imports:\n${outside.join('\n')}`).toEqual([]);
  });
});

describe('what src/ may import', () => {
  const graph = importGraph();
  /** Imports from src/ into specs/ or properties/, and from outside src/cli/ into it (the CLI's files may import each other). */
  const outward = [...graph].flatMap(([file, targets]) => {
    if (!file.startsWith('src/')) return [];
    const forbidden = ['specs/', 'properties/', ...(file.startsWith('src/cli/') ? [] : ['src/cli/'])];
    return targets.filter((t) => forbidden.some((f) => t.startsWith(f))).map((t) => `${file} → ${t}`);
  });

  it('should have no module in src/ import specs/, properties/ or the CLI', () => {
    expect(outward, `src/ modules reaching outside the product's layers:\n${outward.join('\n')}`).toEqual([]);
  });
});

describe('what src/report/ may import', () => {
  const graph = importGraph();
  const report = [...graph.keys()].filter((f) => f.startsWith('src/report/'));
  /** Every file a file reaches through its imports, with the path that reaches it first. */
  const reach = (start: string): Map<string, string[]> => {
    const paths = new Map<string, string[]>([[start, [start]]]);
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? [])
        if (!paths.has(w)) {
          paths.set(w, [...paths.get(v)!, w]);
          queue.push(w);
        }
    }
    return paths;
  };

  // Issue 26: a result travels one way, judge → record → report. A report that imported the registry
  // or the training plan could start training, or judge a region by a claim other than the one it ran.
  it('should reach nothing in src/claims/ or src/experiments/, directly or through another module', () => {
    const reached = report.flatMap((file) =>
      [...reach(file)].filter(([t]) => t.startsWith('src/claims/') || t.startsWith('src/experiments/')).map(([, path]) => path.join(' → ')),
    );
    expect(report.length, 'src/report/ files walked').toBeGreaterThan(10);
    expect(reached, `src/report/ modules reaching the registry or the experiments:\n${reached.join('\n')}`).toEqual([]);
  });

  it('should read no environment variable: what a report needs comes in its outcome or its options', () => {
    const readers = report.filter((file) => /process\.env|OptionsFromEnv\s*\(/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(readers, 'src/report/ modules that read the environment').toEqual([]);
  });
});
