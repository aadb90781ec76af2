/**
 * Wraps string and template literals that run a line past the formatter's width into a
 * concatenation of shorter literals, split at spaces, so the formatter can lay them out one per
 * line: the value of every literal is unchanged (`'a b' === 'a ' + 'b'`). The formatter then
 * places the pieces; run it after this (`npm run format`).
 *
 *   node scripts/wrap-literals.mjs [--check] [files or directories…]   (default: src specs scripts tools properties examples)
 *
 * With --check it changes nothing and exits 1 naming every literal it would wrap (prose left long). A
 * template whose length is code inside `${…}` (no space outside it to cut at) is only counted.
 * Left alone: tagged templates, literals used as types, import/export specifiers, `as const`
 * literals and object keys.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export const WIDTH = 160;
/** The longest piece a wrapped literal is cut into (its line also carries indentation and a `+`). */
const PIECE = 100;

const args = process.argv.slice(2);
const check = args.includes('--check');
const roots = args.filter((a) => !a.startsWith('--'));
const files = (roots.length ? roots : ['src', 'specs', 'scripts', 'tools', 'properties', 'examples']).flatMap(function walk(p) {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st) return [];
  if (st.isDirectory())
    return readdirSync(p)
      .filter((n) => n !== 'node_modules')
      .flatMap((n) => walk(join(p, n)));
  return /\.(ts|mts)$/.test(p) && !p.endsWith('.d.ts') && !p.endsWith('recurrent-wasm.ts') ? [p] : [];
});

/** Cut points of a literal's body: after a space, outside `${…}`, so each piece is at most PIECE characters. */
function cuts(body, template) {
  const out = [];
  let depth = 0,
    last = 0,
    lastSpace = -1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (template && c === '$' && body[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (template && depth > 0 && c === '{') {
      depth++;
      continue;
    }
    if (template && depth > 0 && c === '}') {
      depth--;
      continue;
    }
    if (depth === 0 && c === ' ') lastSpace = i + 1;
    // Every piece, the last included, is at least a fifth of PIECE: no sliver of leading spaces, no empty piece.
    if (i - last >= PIECE && lastSpace - last >= PIECE / 5 && body.length - lastSpace >= PIECE / 5) {
      out.push(lastSpace);
      last = lastSpace;
    }
  }
  return out;
}

function skip(node) {
  const p = node.parent;
  if (!p) return true;
  if (ts.isTaggedTemplateExpression(p) || ts.isLiteralTypeNode(p) || ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p))
    return true;
  if ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) && p.name === node) return true;
  if (ts.isAsExpression(p) && p.type.getText() === 'const') return true;
  if (ts.isCallExpression(p) && p.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  if (ts.isEnumMember(p) || ts.isCaseClause(p) || ts.isElementAccessExpression(p)) return true;
  return false;
}

const tooLong = [];
const codeHeavy = [];
let changedFiles = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineLength = (pos) => {
    const { line } = sf.getLineAndCharacterOfPosition(pos);
    const start = sf.getPositionOfLineAndCharacter(line, 0);
    const end = text.indexOf('\n', start);
    return (end < 0 ? text.length : end) - start;
  };
  const edits = [];
  const visit = (node) => {
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
    if (literal && node.getText(sf).length > PIECE && lineLength(node.getStart(sf)) > WIDTH && !skip(node)) {
      const raw = node.getText(sf);
      const quote = raw[0];
      const template = quote === '`';
      const body = raw.slice(1, -1);
      if (!body.includes('\n')) {
        const at = cuts(body, template);
        if (at.length > 0) {
          const pieces = [0, ...at].map((from, k) => body.slice(from, at[k] ?? body.length));
          // A piece of a template with no substitution left is written as a plain template still (escapes stay valid).
          edits.push({ start: node.getStart(sf), end: node.getEnd(), text: `(${pieces.map((p) => `${quote}${p}${quote}`).join(' + ')})` });
          return;
        }
      }
      // No space outside `${…}` to cut at: the line is long because of code in the template, which is the formatter's and the author's to lay out.
      codeHeavy.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (edits.length === 0) continue;
  if (check) {
    for (const e of edits) tooLong.push(`${file}:${sf.getLineAndCharacterOfPosition(e.start).line + 1}`);
    continue;
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  writeFileSync(file, out);
  changedFiles++;
}
if (check && tooLong.length) {
  process.stderr.write(
    `${tooLong.length} literal(s) run a line past ${WIDTH} characters; wrap them (node scripts/wrap-literals.mjs) or move the prose to a data file:\n${tooLong.join('\n')}\n`,
  );
  process.exit(1);
}
if (!check)
  process.stdout.write(
    `wrapped literals in ${changedFiles} file(s)${tooLong.length ? `; ${tooLong.length} left (multi-line or no space to cut at): ${tooLong.join(', ')}` : ''}\n`,
  );
