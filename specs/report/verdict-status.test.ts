import { describe, expect, it } from 'vitest';
import type { RegionRecord } from '../../src/report/region-record.js';
import { describeResults, describeRun, reportTitle } from '../../src/report/run-label.js';
import { regionRecordFixture } from './fixture-results.js';
import { EXPECTATION_LABEL, VERDICT_STATUS, restateByVerdict, verdictStatus } from '../../src/report/verdict-status.js';

const record = (fields: Partial<RegionRecord>): RegionRecord => regionRecordFixture({ rule: 'share', ...fields });
/** The status message of a restated result, and its first line. */
const messageOf = (r: { readonly statusDetails?: { readonly message?: string } }): string => r.statusDetails?.message ?? '';
const headline = (r: { readonly statusDetails?: { readonly message?: string } }): string => messageOf(r).split('\n')[0];
const result = (verdict: string, expected: string, extra: Record<string, unknown> = {}) => ({
  uuid: 'u',
  name: 'r — x',
  status: 'passed',
  statusDetails: {},
  labels: [
    { name: 'framework', value: 'vitest' },
    { name: 'verdict', value: verdict },
    { name: 'expected', value: expected },
    { name: 'story', value: 'r' },
  ],
  ...extra,
});

describe("a region's status in the published report (src/report/verdict-status.ts)", () => {
  it('should make only holds passed, refuted failed, a numerically broken region broken, and every undecided verdict skipped', () => {
    expect(VERDICT_STATUS, 'verdict → Allure status').toEqual({
      holds: 'passed',
      refuted: 'failed',
      'numerically-broken': 'broken',
      mixed: 'skipped',
      'budget-limited': 'skipped',
      undetermined: 'skipped',
      'outside-premise': 'skipped',
    });
    expect(verdictStatus('a-verdict-from-a-newer-engine'), 'an unknown verdict').toBe('skipped');
  });

  it('should restate a refuted region that matched its expectation as failed, its message starting with the verdict and counts', () => {
    const restated = restateByVerdict(result('refuted', 'refuted'), record({}));
    expect(restated.status, 'status of a refuted region vitest passed').toBe('failed');
    expect(headline(restated), 'first line of its message').toBe('refuted: 0 of 25 cases hold (as registered)');
    expect(
      restated.labels.map((l) => l.name),
      'label order: the expectation right after the verdict',
    ).toEqual(['framework', 'verdict', EXPECTATION_LABEL, 'expected', 'story']);
    expect(restated.labels.find((l) => l.name === EXPECTATION_LABEL)?.value, 'expectation label').toBe('matches');
    expect(restated.uuid, 'the uuid (and so the link) is kept').toBe('u');
  });

  it("should label a region that differs from its registration and keep vitest's message after the verdict", () => {
    const failed = result('refuted', 'holds', { status: 'failed', statusDetails: { message: "expected 'refuted' to be 'holds'", trace: 'at x' } });
    const restated = restateByVerdict(failed, record({ expected: 'holds', matches: false, counts: { holds: 1, fails: 24, broken: 0 } }));
    const message = messageOf(restated);
    expect(restated.labels.find((l) => l.name === EXPECTATION_LABEL)?.value, 'expectation label').toBe('differs (registered holds)');
    expect(message.split('\n')[0], 'first line').toBe('refuted: 1 of 25 cases hold (registered: holds)');
    expect(message, "vitest's message is kept, last").toMatch(/The test run said: expected 'refuted' to be 'holds'$/);
    expect(restated.statusDetails?.trace, 'trace').toBe('at x');
  });

  it("should say a training region's seeds, a budget-limited region's verdict at the cap, and a split as split", () => {
    expect(
      headline(
        restateByVerdict(
          result('holds', 'holds'),
          record({ measured: 'holds', expected: 'holds', rule: 'enumerated', counts: { holds: 5, fails: 0, broken: 0 } }),
        ),
      ),
    ).toBe('holds: 5 of 5 seeds hold (as registered)');
    const capped = restateByVerdict(
      result('budget-limited', 'budget-limited'),
      record({ measured: 'budget-limited', expected: 'budget-limited', rule: 'enumerated', capVerdict: 'refuted', counts: { holds: 1, fails: 4, broken: 0 } }),
    );
    expect(capped.status).toBe('skipped');
    expect(headline(capped)).toBe('budget-limited (at the cap: refuted): 1 of 5 seeds hold (as registered)');
    expect(
      headline(restateByVerdict(result('mixed', 'mixed'), record({ measured: 'mixed', expected: 'mixed', counts: { holds: 12, fails: 13, broken: 0 } }))),
    ).toBe('split: 12 of 25 cases hold (as registered)');
  });

  it('should decide from the labels when a region has no record, and leave a result without a verdict unchanged', () => {
    const bare = restateByVerdict(result('holds', 'refuted'), null);
    expect([bare.status, messageOf(bare), bare.labels.find((l) => l.name === EXPECTATION_LABEL)?.value]).toEqual([
      'passed',
      'holds (registered: refuted)',
      'differs (registered refuted)',
    ]);
    const overview = { name: 'Training overview', status: 'passed', labels: [{ name: 'overview', value: 'training' }] };
    expect(restateByVerdict(overview, null), 'an overview result').toBe(overview);
  });
});

describe('what ran, in words (src/report/run-label.ts)', () => {
  it("should name a full run's seeds, training plan and backend", () => {
    const full = {
      claims: [],
      sections: [],
      verdicts: [],
      backend: 'wasm',
      seed: null,
      seeds: [424242, 1, 2],
      runs: null,
      shard: null,
      training: 'full',
      config: null,
      record: false,
    };
    expect(describeRun('full', full)).toBe('Full run: every claim; full training plan, seeds 424242, 1, 2, no pins, backend wasm');
    expect(describeRun('full', { ...full, seeds: [], backend: null })).toBe('Full run: every claim; full training plan, seed 424242, no pins, backend default');
  });

  it('should name only what a partial run selected', () => {
    expect(describeRun('partial', { claims: ['VG-X'], sections: [], seeds: [], training: 'reduced', seed: 7 })).toBe(
      'Partial run: claim VG-X; reduced training plan, seed 7, no pins, backend default',
    );
    expect(
      describeRun('partial', {
        claims: [],
        sections: ['Eigenvalue Perspective', 'Diagnosis'],
        verdicts: ['refuted'],
        training: 'full',
        seeds: [],
        runs: 50,
        shard: '1/2',
        backend: 'cpu',
        config: '/tmp/pins/small.json',
        record: true,
      }),
    ).toBe(
      'Partial run: sections Eigenvalue Perspective, Diagnosis; claims expected to be refuted; shard 1/2; ' +
        'full training plan, seed 424242, pinned by --config small.json, 50 cases per gradient region, ' +
        'backend cpu, recording regions without an expectation',
    );
  });

  it('should describe results no run.json describes by what they hold, and title a report with what ran', () => {
    expect(describeResults({ runs: 2, regions: 40, claims: 12, sections: 3, backends: ['wasm'] })).toBe(
      'merged results of 2 runs: 40 regions of 12 claims in 3 sections, backend wasm',
    );
    expect(describeResults({ runs: 1, regions: 1, claims: 1, sections: 1, backends: ['cpu', 'wasm'] })).toBe(
      'results of 1 run: 1 region of 1 claim in 1 section, backends cpu, wasm',
    );
    expect(reportTitle('full run, seed 1')).toBe("Vanishing gradients: verdicts on the document's claims — full run, seed 1");
  });
});
