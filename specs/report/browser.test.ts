import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandTree, leafTitles, openReport, renderedLeafTitles, sectionTitles } from './browser.js';

// The harness the report tests rely on: a page that never renders must fail with its reasons, never hang or pass.
const dir = mkdtempSync(join(tmpdir(), 'vg-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('headless report rendering', () => {
  it('should refuse outside requests, and fail a page without a tree after every attempt, naming the page error and the refused URL', async () => {
    const page = join(dir, 'broken.html');
    writeFileSync(
      page,
      '<html><body><p>not a report</p><img src="https://example.invalid/pixel.png"><script>throw new Error("app failed to start")</script></body></html>',
    );
    const failure = await renderedLeafTitles(page, { timeoutMs: 1500, attempts: 2 }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    const said = `the failure for a page without a tree: ${failure}`;
    expect(failure, said).toBeDefined();
    expect(failure, said).toContain('did not render in 2 fresh browser(s)');
    expect(failure, said).toContain('attempt 1:');
    expect(failure, said).toContain('attempt 2:');
    expect(failure, said).toContain('app failed to start');
    expect(failure, said).toContain('https://example.invalid/pixel.png');
    expect(failure, said).toContain('not a report');
  }, 60_000);

  it("should give up on a page whose script never returns within its timeouts, not Puppeteer's 180 s", async () => {
    const page = join(dir, 'hung.html');
    writeFileSync(page, '<html><body><p>spinning</p><script>for (;;) {}</script></body></html>');
    const start = performance.now();
    const failure = await renderedLeafTitles(page, { timeoutMs: 1500, attempts: 1 }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    const seconds = (performance.now() - start) / 1000;
    expect(failure, `the failure for a hung page, after ${seconds.toFixed(1)} s: ${failure}`).toContain('did not render in 1 fresh browser(s)');
    expect(seconds, `seconds until the hung page was given up: ${seconds.toFixed(1)} against 30`).toBeLessThan(30);
  }, 60_000);

  it('should read the leaf titles of a page that renders, with no failed attempt and no outside request', async () => {
    const page = join(dir, 'tree.html');
    writeFileSync(
      page,
      '<html><body><div data-testid="tree-section">s</div><div><div data-testid="tree-leaf"><span ' +
        'data-testid="tree-leaf-title">VG-X [a]: ok</span></div></div></body></html>',
    );
    const shown = await renderedLeafTitles(page, { timeoutMs: 5000 });
    expect(shown.titles, `leaf titles read: ${JSON.stringify(shown.titles)}`).toEqual(['VG-X [a]: ok']);
    expect(shown.failedAttempts, `failed attempts: ${JSON.stringify(shown.failedAttempts)}`).toEqual([]);
    expect(shown.externalRequests, `outside requests: ${JSON.stringify(shown.externalRequests)}`).toEqual([]);
  }, 60_000);

  it('should expand only the sections a reader opens, and read section titles without their counters', async () => {
    // Two levels as the awesome tree draws them: a section's children appear after its arrow is clicked.
    const page = join(dir, 'nested.html');
    writeFileSync(
      page,
      `<html><body><div id="root"></div><script>
      const node = (title, children) => {
        const wrap = document.createElement('div');
        const head = document.createElement('div'); head.dataset.testid = 'tree-section';
        head.innerHTML = '<button data-testid="tree-arrow"></button><span data-testid="tree-section-title">' + title + '</span><span>7</span>';
        const body = document.createElement('div');
        head.querySelector('button').onclick = () => children.forEach((c) => body.appendChild(c()));
        wrap.append(head, body);
        return wrap;
      };
      const leaf = (t) => () => { const l = document.createElement('div'); l.dataset.testid = 'tree-leaf'; l.innerHTML = '<span data-testid="tree-leaf-title">' + t + '</span>'; return l; };
      document.getElementById('root').appendChild(node('01 · Section', [() => node('VG-A — holds', [leaf('a — holds 3/3')])]));
    </script></body></html>`,
    );
    const seen = await openReport(
      page,
      async (p) => {
        await expandTree(p, (title) => !title.startsWith('VG-'));
        const closed = { sections: await sectionTitles(p), leaves: await leafTitles(p) };
        await expandTree(p);
        return { closed, open: await leafTitles(p) };
      },
      10_000,
    );
    expect(seen.closed, `sections and leaves with claims left closed: ${JSON.stringify(seen.closed)}`).toEqual({
      sections: ['01 · Section', 'VG-A — holds'],
      leaves: [],
    });
    expect(seen.open, `leaves with every section open: ${JSON.stringify(seen.open)}`).toEqual(['a — holds 3/3']);
  }, 60_000);
});
