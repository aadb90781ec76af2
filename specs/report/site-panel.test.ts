import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { measureProfile } from '../../src/cli/profile.js';
import { EXPONENTIAL_R2 } from '../../src/claims/rules.js';
import { type PanelChoice, DEFAULT_CHOICE, configOf } from '../../src/site/panel/controls.js';
import { panelProfile } from '../../src/site/panel/compute.js';
import { profileSvg } from '../../src/site/panel/plot.js';
import { panelMismatches } from './site-panel-driver.js';

/**
 * The verdict site's live panel computes in the browser with the package's own float64 oracle: its
 * numbers must be `vg profile`'s float64 column (measureProfile), flags included, on every kind of cell.
 */

beforeAll(async () => {
  await resolveBackend();
});

const CASES: ReadonlyArray<readonly [string, Partial<PanelChoice>]> = [
  ['the default (vanilla tanh, PyTorch default, H 32, T 50)', {}],
  ['an LSTM with chrono forget bias', { cell: 'lstm-chrono', hiddenSize: 12, seqLength: 60 }],
  ['an LSTM with forget bias 0, orthogonal W_hh', { cell: 'lstm-zero', init: 'orthogonal', hiddenSize: 8, seqLength: 40 }],
  ['a GRU', { cell: 'gru', hiddenSize: 16, seqLength: 50 }],
  ['the layer-norm cell', { cell: 'layernorm', init: 'normal', initScale: 0.5, hiddenSize: 10, seqLength: 30 }],
  ['the residual cell', { cell: 'residual', init: 'glorotUniform', hiddenSize: 10, seqLength: 30 }],
  ['a long ReLU run whose float64 state overflows', { cell: 'rnn-relu', init: 'normal', initScale: 3, hiddenSize: 16, seqLength: 300 }],
  ['a ReLU IRNN (identity W_hh)', { cell: 'rnn-relu', init: 'identity', initScale: 1, hiddenSize: 8, seqLength: 80 }],
];

describe('site panel: computation', () => {
  for (const [what, choice] of CASES) {
    it(`should equal vg profile's float64 column within 1e-4 decades, flags equal, for ${what}`, async () => {
      const config = configOf({ ...DEFAULT_CHOICE, ...choice });
      const panel = panelProfile(config);
      const measured = await measureProfile(panel.config);
      const rows = panel.distances.map((d) => ({ distance: d, log10: panel.log10[d], flag: panel.flags[d], bound: panel.bound[d] }));
      const mismatches = panelMismatches({ state: 'ready', revision: 1, config: panel.config, rows, rulings: [] }, measured.float64);
      expect(mismatches, `panel against measureProfile for ${JSON.stringify(panel.config)}`).toEqual([]);
      // Never an unflagged non-number, in the values or the bound.
      const bad = [...panel.log10, ...panel.bound].filter((v) => v !== null && !Number.isFinite(v));
      expect(bad, `non-finite values for ${JSON.stringify(panel.config)}`).toEqual([]);
      expect(profileSvg(panel), 'the plot draws no non-number').not.toMatch(/NaN|Infinity/);
    });
  }

  it('should flag the overflowing ReLU run and read no claim on it', () => {
    const panel = panelProfile(configOf({ ...DEFAULT_CHOICE, cell: 'rnn-relu', init: 'normal', initScale: 3, hiddenSize: 16, seqLength: 300 }));
    expect(panel.firstOverflow, 'float64 overflow expected at σ = 3, T = 300').not.toBeNull();
    expect(panel.flags.filter((f) => f === 'overflow').length, 'every step but the seed flagged after a forward overflow').toBe(299);
    expect(panel.bound.every((b) => b === null), 'no bound without γ').toBe(true);
    expect(panel.rulings.map((r) => r.status)).toEqual(['not read', 'not read', 'not read']);
  });

  it('should rule VG-CORE-EXP-SHRINK and VG-BOUND-GAMMA as the claims do on the default vanilla tanh RNN', () => {
    const panel = panelProfile(configOf(DEFAULT_CHOICE));
    const shrink = panel.rulings.find((r) => r.claim === 'VG-CORE-EXP-SHRINK');
    const bound = panel.rulings.find((r) => r.claim === 'VG-BOUND-GAMMA');
    expect(shrink?.status, `VG-CORE-EXP-SHRINK: ${shrink?.summary}`).toBe('holds');
    expect(Number(shrink?.numbers.r2), `VG-CORE-EXP-SHRINK r2 against ${EXPONENTIAL_R2}`).toBeGreaterThanOrEqual(EXPONENTIAL_R2);
    expect(bound?.status, `VG-BOUND-GAMMA: ${bound?.summary}`).toBe('holds');
    expect(panel.bound[0], 'the bound is anchored at the last step').toBe(panel.log10[0]);
  });

  it('should refuse an invalid configuration with the validator\'s error', () => {
    expect(() => panelProfile({ ...configOf(DEFAULT_CHOICE), seqLength: 1 })).toThrow(/seqLength/);
    expect(() => panelProfile({ ...configOf(DEFAULT_CHOICE), recurrentInit: { kind: 'normal', std: -1 } })).toThrow(/recurrentInit.std/);
  });
});
