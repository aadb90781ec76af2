import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyOptions } from '../../src/cli/options.js';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { isFullRun, runContextOf, runPlace } from '../../src/cli/verify.js';
import {
  INSTALLED_SECTIONS,
  NPM_VERIFY,
  REPOSITORY_SECTIONS,
  byNpmRunVerify,
  reproduceCommand,
  runContext,
  runSelection,
} from '../../src/report/run-context.js';
import { type Summary, summaryMarkdown } from '../../src/report/summary.js';

/**
 * Issue 23: a partial run's CLAIMS.md must say it is partial and what ran, and one written in a
 * user's project must point only to what exists there. The summary carries the run (claims.json
 * `run`, report/run-context.ts); CLAIMS.md words it.
 */

const published = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'claims.json'), 'utf8')) as Summary;
const NPM_RUN_VERIFY = '`npm run verify`';

/** `vg verify`'s options from the words of a command line (`--claim X --training reduced`). */
function optionsOf(args: string): ReturnType<typeof verifyOptions> {
  const raw: Record<string, string | boolean | string[]> = {};
  const words = args.split(' ').filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const name = words[i].replace(/^--/, '');
    const value = words[i + 1] !== undefined && !words[i + 1].startsWith('--') ? words[++i] : true;
    const prior = raw[name];
    raw[name] = prior === undefined ? value : ([] as string[]).concat(prior as string | string[], value as string);
  }
  return verifyOptions(raw);
}

/** The published summary narrowed to some claims, as a run of them would write it. */
function narrowed(ids: readonly string[], run: Summary['run']): Summary {
  return { ...published, claims: published.claims.filter((c) => ids.includes(c.id)), pending: [], run };
}

describe('the run a summary describes', () => {
  it("should recognise npm run verify's own run (package.json's verify script) as the published one", () => {
    const script = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.verify;
    const o = optionsOf(script.replace(/^.*?\bverify\b/, ''));
    const run = runContextOf(o, isFullRun(o), o.seeds[0], null, 'repository');
    expect(byNpmRunVerify(run), `npm run verify (${script}) is not recognised; NPM_VERIFY is ${JSON.stringify(NPM_VERIFY)}`).toBe(true);
    expect(
      summaryMarkdown({ ...published, run })
        .split('\n')[2]
        .startsWith(`Written by ${NPM_RUN_VERIFY}`),
      'CLAIMS.md of npm run verify',
    ).toBe(true);
  });

  it('should place a run from this checkout in the repository', () => {
    expect(runPlace(), `src/claims/sections exists under ${PACKAGE_ROOT}: ${existsSync(join(PACKAGE_ROOT, 'src', 'claims', 'sections'))}`).toBe('repository');
  });

  it("should name a run's selection and the command that reproduces it", () => {
    const o = optionsOf('--claim VG-GATED-LEARNS --training reduced --seed 7');
    const run = runContextOf(o, isFullRun(o), 7, null, 'repository');
    expect(runSelection(run), 'selection').toBe('claim VG-GATED-LEARNS');
    expect(reproduceCommand(run), 'command').toBe('vg verify --claim VG-GATED-LEARNS --seed 7 --training reduced');
    const sections = runContext(
      'partial',
      { claims: [], sections: ['Diagnosis', 'Why γ < 1 Is the Common Case'], verdicts: ['refuted'], shard: '1/2', training: 'full', seeds: [], record: false },
      1,
      null,
      'repository',
    );
    expect(runSelection(sections), 'selection of sections').toBe('sections Diagnosis, Why γ < 1 Is the Common Case; claims expected to be refuted; shard 1/2');
    expect(reproduceCommand(sections), 'command for sections').toBe(
      "vg verify --section Diagnosis --section 'Why γ < 1 Is the Common Case' --verdict refuted --shard 1/2",
    );
  });
});

describe("a partial run's CLAIMS.md", () => {
  const o = optionsOf('--claim VG-GATED-LEARNS --training reduced');
  const run = runContextOf(o, isFullRun(o), 424242, null, 'repository');
  const md = summaryMarkdown(narrowed(['VG-GATED-LEARNS'], run));

  it('should say it is partial and name its selection, training plan, seeds and pins in its first lines', () => {
    const head = md.split('\n').slice(0, 3).join('\n');
    expect(head, 'the title and first line').toContain('Partial run');
    for (const part of ['VG-GATED-LEARNS', 'reduced training plan', 'seed 424242', 'no pins', 'vg verify --claim VG-GATED-LEARNS --training reduced'])
      expect(head.includes(part), `the first lines do not say "${part}": ${head}`).toBe(true);
  });

  it(`should never say it was written by ${NPM_RUN_VERIFY}`, () => {
    expect(md.includes(`Written by ${NPM_RUN_VERIFY}`), "a partial run claims to be npm run verify's").toBe(false);
  });

  it('should name its pins when --config pinned fields', () => {
    const pinned = runContext(
      'partial',
      { claims: ['VG-GATED-LEARNS'], sections: [], verdicts: [], training: 'full', seeds: [], record: false },
      424242,
      { file: 'pins.json', fields: ['hidden', 'seqLen'] },
      'repository',
    );
    const head = summaryMarkdown(narrowed(['VG-GATED-LEARNS'], pinned)).split('\n')[2];
    expect(head.includes('pinned hidden, seqLen (--config pins.json)') && head.includes('--config pins.json'), `first line: ${head}`).toBe(true);
  });

  it(`should not call a full run with other seeds ${NPM_RUN_VERIFY}'s`, () => {
    const full = runContext('full', { claims: [], sections: [], verdicts: [], training: 'full', seeds: [], seed: 5, record: false }, 5, null, 'repository');
    const head = summaryMarkdown({ ...published, run: full })
      .split('\n')
      .slice(0, 3)
      .join('\n');
    expect(head.includes(`Written by ${NPM_RUN_VERIFY}`), head).toBe(false);
    expect(head.includes('vg verify --seed 5'), head).toBe(true);
  });
});

describe("CLAIMS.md written in a user's project", () => {
  const run = runContext(
    'full',
    { claims: [], sections: [], verdicts: [], training: 'full', seeds: [424242, 1, 2], backend: 'wasm', record: false },
    424242,
    null,
    'project',
  );
  const md = summaryMarkdown({ ...published, run });

  it(`should point to nothing that exists only in this repository (${NPM_RUN_VERIFY}, ${REPOSITORY_SECTIONS})`, () => {
    expect(md.includes('npm run verify'), 'mentions npm run verify').toBe(false);
    expect(md.split(INSTALLED_SECTIONS).join('').includes(REPOSITORY_SECTIONS), `points to ${REPOSITORY_SECTIONS}`).toBe(false);
    expect(/\]\((?!#|verdicts[-\w]*\.svg|https?:)/.test(md), 'a relative link other than the figures beside it').toBe(false);
  });

  it("should point to the installed package's claim files and name the command that wrote it", () => {
    expect(md.includes(INSTALLED_SECTIONS), `does not point to ${INSTALLED_SECTIONS}`).toBe(true);
    expect(md.split('\n')[2].includes('vg verify --backend wasm --seeds 424242,1,2'), md.split('\n')[2]).toBe(true);
  });
});
