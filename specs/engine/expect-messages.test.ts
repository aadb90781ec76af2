import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * House style: every assertion carries a message with the values it compares (issue 15, item 9).
 * This check finds, from each file's syntax tree, every `expect(…)`, `expect.soft(…)` and
 * `expect.poll(…)` call given fewer than two arguments, in the spec files listed below. A file
 * joins the list once its assertions all carry messages, so the list only grows.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Spec files and spec helpers (repository-relative) whose every expect must carry a message.
 * Extend as files are brought up to style. Not yet listed: specs/engine/bench.test.ts,
 * specs/experiments/kernel.test.ts and kernel-profile.test.ts (being rewritten), and
 * specs/report/trends.test.ts (being written).
 */
export const FILES_WITH_MESSAGES: readonly string[] = [
  'specs/claims/01-core-problem.test.ts',
  'specs/claims/02-gradient-flow.test.ts',
  'specs/claims/03-bounds.test.ts',
  'specs/claims/04-why-gamma.test.ts',
  'specs/claims/05-eigenvalues.test.ts',
  'specs/claims/06-consequences.test.ts',
  'specs/claims/07-empirical-demonstration.test.ts',
  'specs/claims/08-diagnosis.test.ts',
  'specs/claims/09-mitigations.test.ts',
  'specs/claims/10-summary.test.ts',
  'specs/claims/11-training.test.ts',
  'specs/claims/verify-section.ts',
  'specs/cli/cli.test.ts',
  'specs/cli/help.test.ts',
  'specs/cli/outputs.test.ts',
  'specs/cli/peers.test.ts',
  'specs/cli/pin.test.ts',
  'specs/cli/profile-fuzz.test.ts',
  'specs/cli/profile-numerics.test.ts',
  'specs/cli/readme-examples.test.ts',
  'specs/cli/readme-figures.test.ts',
  'specs/cli/shard.test.ts',
  'specs/cli/summary.test.ts',
  'specs/cli/sweep.test.ts',
  'specs/consumer/consumer.test.ts',
  'specs/engine/config.test.ts',
  'specs/engine/evidence-engine.test.ts',
  'specs/engine/expect-messages.test.ts',
  'specs/engine/backend-use.test.ts',
  'specs/engine/helpers.ts',
  'specs/engine/imports.test.ts',
  'specs/engine/layers-profile.test.ts',
  'specs/engine/model-claim.test.ts',
  'specs/engine/meaning.test.ts',
  'specs/engine/log-domain.test.ts',
  'specs/engine/options.test.ts',
  'specs/engine/oracle.test.ts',
  'specs/engine/plot.test.ts',
  'specs/engine/probes.test.ts',
  'specs/engine/profile-numerics.test.ts',
  'specs/engine/profile.test.ts',
  'specs/engine/run-region.test.ts',
  'specs/engine/stats.test.ts',
  'specs/engine/underflow.test.ts',
  'specs/experiments/bptt.test.ts',
  'specs/experiments/budget.test.ts',
  'specs/experiments/layers-trainer.test.ts',
  'specs/experiments/pool.test.ts',
  'specs/experiments/reduced-experiment.test.ts',
  'specs/experiments/solve-rule.test.ts',
  'specs/experiments/summaries.test.ts',
  'specs/experiments/tasks.test.ts',
  'specs/experiments/train.test.ts',
  'specs/report/backend-differences.ts',
  'specs/report/browser.test.ts',
  'specs/report/node-backend.test.ts',
  'specs/report/report.test.ts',
  'specs/report/reruns.test.ts',
];

/** The expect entry points whose first argument is the value under test and whose second is the message. */
const EXPECT_CALLS = new Set(['expect', 'expect.soft', 'expect.poll']);

/** `expect`, `expect.soft` or `expect.poll` when a call's callee is one of them, else null. */
function expectName(callee: ts.Expression): string | null {
  if (ts.isIdentifier(callee)) return EXPECT_CALLS.has(callee.text) ? callee.text : null;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const name = `${callee.expression.text}.${callee.name.text}`;
    return EXPECT_CALLS.has(name) ? name : null;
  }
  return null;
}

/** `line:column name(…)` of every expect call in `text` with no message argument (1-based positions). */
export function unmessagedExpects(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = expectName(node.expression);
      if (name !== null && node.arguments.length < 2) {
        const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(
          `${line + 1}:${character + 1} ${name}(${node.arguments
            .map((a) => a.getText(source))
            .join(', ')
            .slice(0, 60)})`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every TypeScript file under `dir`: the specs and the helpers they share (verify-section.ts, helpers.ts). */
function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(path);
    return entry.name.endsWith('.ts') ? [relative(ROOT, path).split(sep).join('/')] : [];
  });
}

describe('assertion messages (house style: every assertion carries its values)', () => {
  it('should find expect, expect.soft and expect.poll calls without a message, and only those', () => {
    const sample = [
      'expect(a).toBe(1);',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text of a test, with its template literal
      'expect(a, `a: ${a}`).toBe(1);',
      'expect.soft(b).toEqual([]);',
      "expect.soft(b, 'b').toEqual([]);",
      'await expect.poll(() => c).toBe(2);',
      'expect.assertions(1);',
      'other(d);',
      'expect(() => f()).toThrow(/x/);',
    ].join('\n');
    const found = unmessagedExpects('sample.ts', sample);
    const expected = ['1:1 expect(a)', '3:1 expect.soft(b)', '5:7 expect.poll(() => c)', '8:1 expect(() => f())'];
    expect(found, `calls found in the sample: ${JSON.stringify(found)} against ${JSON.stringify(expected)}`).toEqual(expected);
  });

  it('should list only files that exist under specs/', () => {
    const all = specFiles(join(ROOT, 'specs'));
    const missing = FILES_WITH_MESSAGES.filter((f) => !all.includes(f));
    expect(missing, `listed files not found among the ${all.length} TypeScript files under specs/: ${missing.join(', ')}`).toEqual([]);
  });

  it.each(FILES_WITH_MESSAGES.map((f) => [f]))('should give every expect in %s a message', (file) => {
    const found = existsSync(join(ROOT, file)) ? unmessagedExpects(file, readFileSync(join(ROOT, file), 'utf8')) : [];
    expect(found, `${file}: ${found.length} expect calls without a message:\n${found.join('\n')}`).toEqual([]);
  });
});
