import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderedLeafTitles } from './browser.js';

// The harness the report tests rely on: a page that never renders must fail with its reasons, never hang or pass.
const dir = mkdtempSync(join(tmpdir(), 'vg-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('headless report rendering', () => {
  it('should refuse outside requests, and fail a page without a tree after every attempt, naming the page error and the refused URL', async () => {
    const page = join(dir, 'broken.html');
    writeFileSync(page, '<html><body><p>not a report</p><img src="https://example.invalid/pixel.png"><script>throw new Error("app failed to start")</script></body></html>');
    const failure = await renderedLeafTitles(page, { timeoutMs: 1500, attempts: 2 }).then(() => undefined, (e: Error) => e.message);
    expect(failure).toBeDefined();
    expect(failure).toContain('did not render in 2 fresh browser(s)');
    expect(failure).toContain('attempt 1:');
    expect(failure).toContain('attempt 2:');
    expect(failure).toContain('app failed to start');
    expect(failure).toContain('https://example.invalid/pixel.png');
    expect(failure).toContain('not a report');
  }, 60_000);

  it('should give up on a page whose script never returns within its timeouts, not Puppeteer\'s 180 s', async () => {
    const page = join(dir, 'hung.html');
    writeFileSync(page, '<html><body><p>spinning</p><script>for (;;) {}</script></body></html>');
    const start = performance.now();
    const failure = await renderedLeafTitles(page, { timeoutMs: 1500, attempts: 1 }).then(() => undefined, (e: Error) => e.message);
    const seconds = (performance.now() - start) / 1000;
    expect(failure).toContain('did not render in 1 fresh browser(s)');
    expect(seconds, 'seconds until the hung page was given up').toBeLessThan(30);
  }, 60_000);

  it('should read the leaf titles of a page that renders, with no failed attempt and no outside request', async () => {
    const page = join(dir, 'tree.html');
    writeFileSync(page, '<html><body><div data-testid="tree-section">s</div><div><div data-testid="tree-leaf"><span data-testid="tree-leaf-title">VG-X [a]: ok</span></div></div></body></html>');
    const shown = await renderedLeafTitles(page, { timeoutMs: 5000 });
    expect(shown.titles).toEqual(['VG-X [a]: ok']);
    expect(shown.failedAttempts).toEqual([]);
    expect(shown.externalRequests).toEqual([]);
  }, 60_000);
});
