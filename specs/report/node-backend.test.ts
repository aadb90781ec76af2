import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_IDS } from '../../src/claims/registry.js';
import { EVIDENCE } from '../../src/cli/paths.js';
import { regionName } from '../../src/engine/select.js';
import { type Tolerance, describeMismatch, isClose } from '../../src/numerics/close.js';
import { readRecords } from '../../src/report/evidence-store.js';
import type { RegionRecord } from '../../src/report/region-record.js';
import { BACKEND_DIFFERENCES } from './backend-differences.js';
import { backendRegions, involvesBackend, runSuite, type SuiteRun } from './suite.js';

/**
 * Every claim on tfjs-node (the resolver's first choice where it is installed) against npm test's
 * unsharded wasm run, at the same seed. A region whose wasm measurement ran no tfjs arithmetic
 * kernel and read nothing measured with one (its record's backendUse is 0 and 0) was computed in
 * plain TypeScript or the fused WebAssembly kernel, the same computation on every backend, so it
 * is not measured twice. The training regions are among them: their runs train on the kernel,
 * which runs no tfjs arithmetic kernel (specs/experiments/kernel.test.ts), in worker threads the
 * count does not see. Every other region runs again on tfjs-node and must give wasm's verdict and
 * counts, and key numbers within atol 1e-3 + rtol 1e-2, except the differences listed with their
 * reasons in backend-differences.ts.
 */
const SEED = 424242;
/** TensorFlow sums float32 in other orders than wasm (and flushes subnormals, src/backend/float32.ts); key numbers agree to this, as cpu's do. */
const BACKEND_TOL: Tolerance = { atol: 1e-3, rtol: 1e-2 };
const work = mkdtempSync(join(tmpdir(), 'vg-node-'));
let wasm: RegionRecord[] = [];
let node: SuiteRun;
let rerun: string[] = [];

const key = (r: RegionRecord): string => regionName(r.claimId, r.regionId);
const verdictLine = (r: RegionRecord): string => `${key(r)} ${r.measured} ${r.counts.holds}/${r.counts.fails}/${r.counts.broken}`;
const listed = (k: string) => BACKEND_DIFFERENCES.find((d) => d.region === k);

/** Tests of a run's Allure results that did not pass, as `CLAIM-ID [region-id]` (or their names, for tests of no region). */
function notPassed(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('-result.json'))
    .flatMap((f) => {
      const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name: string; status: string; labels: Array<{ name: string; value: string }> };
      const label = (n: string): string | undefined => r.labels.find((l) => l.name === n)?.value;
      const claim = label('claim'),
        region = label('story');
      return r.status === 'passed' || r.status === 'skipped' ? [] : [claim && region ? regionName(claim, region) : r.name];
    })
    .sort();
}

beforeAll(async () => {
  // The registry's regions (a user's example claims also run in the claims project, on wasm only).
  wasm = (await readRecords(EVIDENCE)).filter((r) => CLAIM_IDS.includes(r.claimId));
  rerun = backendRegions(wasm);
  const sections = [...new Set(wasm.filter(involvesBackend).map((r) => r.section))];
  node = await runSuite(work, { env: { VG_FC_SEED: String(SEED), VG_BACKEND: 'node' }, sections, regions: rerun, gradientOnly: true, mayFail: true });
}, 900_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('every claim on tfjs-node, against wasm at the same seed', () => {
  it('should re-run on tfjs-node every region whose wasm measurement involved the tfjs backend, and only those', () => {
    const unknown = wasm.filter((r) => r.backendUse === undefined).map(key);
    expect(unknown, 'wasm records without backendUse (written by another version?)').toEqual([]);
    expect(rerun.length, `regions that involved the tfjs backend: ${rerun.length} of ${wasm.length}, some expected`).toBeGreaterThan(0);
    const ran = node.records.map(key).sort();
    expect(
      ran,
      `regions measured on tfjs-node (${ran.length}) against those that involved the backend on wasm ` +
        `(${rerun.length}); the other ${wasm.length - rerun.length} ran no tfjs arithmetic kernel`,
    ).toEqual(rerun);
    expect(new Set(node.records.map((r) => r.backend)), 'the backend the re-run recorded').toEqual(new Set(['node']));
  });

  it("should give wasm's verdict and counts on tfjs-node in every re-run region but the listed differences, and those as listed", () => {
    for (const r of node.records) {
      const w = wasm.find((x) => key(x) === key(r))!;
      const difference = listed(key(r));
      if (!difference) expect(verdictLine(r), `tfjs-node against wasm (${w.backend})`).toBe(verdictLine(w));
      else if (difference.differs === 'counts')
        expect(r.measured, `${key(r)}: counts may differ on tfjs-node (${verdictLine(r)} against ${verdictLine(w)}; ${difference.why}), the verdict not`).toBe(
          w.measured,
        );
      else
        expect(r.measured, `${key(r)}: listed with verdict ${difference.nodeVerdict} on tfjs-node (seen: ${difference.seen}); measured ${verdictLine(r)}`).toBe(
          difference.nodeVerdict,
        );
    }
  });

  it('should agree on key numbers within atol 1e-3 + rtol 1e-2 where both backends shrank to the same case', () => {
    for (const r of node.records) {
      const w = wasm.find((x) => key(x) === key(r))!;
      // Where the verdict rests on float32 rounding (the listed regions), shrinking can end on another case; then only verdict and counts compare.
      if ((r.counterexample?.subject ?? null) !== (w.counterexample?.subject ?? null)) continue;
      for (const [name, v] of Object.entries(r.numbers)) {
        const x = w.numbers[name];
        if (typeof v === 'number' && typeof x === 'number')
          expect(isClose(v, x, BACKEND_TOL), describeMismatch(`${key(r)} ${name}: node vs wasm`, v, x, BACKEND_TOL)).toBe(true);
        else expect(v, `${key(r)} ${name}: node ${JSON.stringify(v)}, wasm ${JSON.stringify(x)}`).toEqual(x);
      }
    }
  });

  it('should fail on tfjs-node only the regions listed with another verdict', () => {
    const expected = BACKEND_DIFFERENCES.filter((d) => d.differs === 'verdict' && rerun.includes(d.region))
      .map((d) => d.region)
      .sort();
    const failed = notPassed(node.results);
    expect(failed, `tests that did not pass on tfjs-node (vitest exit ${node.status}); listed with another verdict: [${expected.join(', ')}]`).toEqual(
      expected,
    );
  });
});
