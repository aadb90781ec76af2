import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/models/rng.js';
import {
  ADDING_EARLY_WINDOW, LEARNED_MARGIN, UNIFORM_VARIANCE, addingTask, evalBatch, isLearned, recallTask, redrawStream, trainStream,
} from '../../src/experiments/tasks.js';

/** Monte Carlo sample size; the standard error of the adding baseline's MSE is √(1/80 − 1/144)/√N ≈ 5e-4. */
const N = 20_000;
/** 5 standard errors of each estimate. */
const ADDING_TOL = 5 * Math.sqrt(1 / 80 - 1 / 144) / Math.sqrt(N);
const CORRELATION_TOL = 5 / Math.sqrt(N);

const value = (inputs: Float32Array, T: number, i: number, t: number): number => inputs[(i * T + t) * 2];
const marker = (inputs: Float32Array, T: number, i: number, t: number): number => inputs[(i * T + t) * 2 + 1];

describe('adding problem', () => {
  it.each([5, 20, 100])('should place one marker in the early window and one after it, so the dependency spans ≥ lag steps, for lag %i', (lag) => {
    const task = addingTask(lag);
    const T = task.seqLength;
    expect(T, 'T = lag + early window').toBe(lag + ADDING_EARLY_WINDOW);
    const b = task.sample(new Rng(1, 'spec'), 500);
    for (let i = 0; i < b.batch; i++) {
      const marks = Array.from({ length: T }, (_, t) => t).filter((t) => marker(b.inputs, T, i, t) === 1);
      expect(marks.length, `sequence ${i}: two markers`).toBe(2);
      expect(marks[0], `sequence ${i}: first marker in [0, W)`).toBeLessThan(ADDING_EARLY_WINDOW);
      expect(T - 1 - marks[0], `sequence ${i}: distance from first marker to readout ≥ lag`).toBeGreaterThanOrEqual(lag);
      expect(marks[1], `sequence ${i}: second marker at ≥ T − lag`).toBeGreaterThanOrEqual(T - lag);
      expect(b.targets[i], `sequence ${i}: target = sum of marked values`).toBeCloseTo(value(b.inputs, T, i, marks[0]) + value(b.inputs, T, i, marks[1]), 6);
    }
  });

  it('should have baseline 1/12: the MSE of x[p2] + 1/2, by Monte Carlo', () => {
    const task = addingTask(10);
    const T = task.seqLength;
    const b = task.sample(new Rng(2, 'spec'), N);
    let se = 0, seConst = 0;
    for (let i = 0; i < N; i++) {
      let second = 0;
      for (let t = T - task.lag; t < T; t++) if (marker(b.inputs, T, i, t) === 1) second = value(b.inputs, T, i, t);
      se += (b.targets[i] - (second + 0.5)) ** 2;
      seConst += (b.targets[i] - 1) ** 2;
    }
    expect(task.baseline).toBe(UNIFORM_VARIANCE);
    expect(Math.abs(se / N - 1 / 12), `MC MSE ${se / N} vs 1/12 (±${ADDING_TOL})`).toBeLessThan(ADDING_TOL);
    expect(Math.abs(seConst / N - 1 / 6), `MC MSE of the constant 1: ${seConst / N} vs 1/6`).toBeLessThan(2 * ADDING_TOL);
  });
});

describe('lag-k recall', () => {
  it('should have baseline MSE 1 and chance accuracy 1/2: the target is uncorrelated with every input the baseline may see', () => {
    const lag = 8;
    const task = recallTask(lag);
    const T = task.seqLength;
    expect(T).toBe(lag + 1);
    const b = task.sample(new Rng(3, 'spec'), N);
    let mse0 = 0, rightLast = 0, wrongTargets = 0;
    for (let i = 0; i < N; i++) {
      if (Math.abs(b.targets[i]) !== 1 || b.targets[i] !== value(b.inputs, T, i, T - 1 - lag)) wrongTargets++;
      mse0 += b.targets[i] ** 2;
      if (Math.sign(value(b.inputs, T, i, T - 1)) === Math.sign(b.targets[i])) rightLast++;
    }
    expect(wrongTargets, 'targets that are not the ±1 symbol at step T−1−lag').toBe(0);
    expect(mse0 / N, 'MSE of predicting 0').toBe(task.baseline);
    for (let t = T - lag; t < T; t++) {
      let r = 0;
      for (let i = 0; i < N; i++) r += b.targets[i] * value(b.inputs, T, i, t);
      expect(Math.abs(r / N), `correlation of target with the distractor at t=${t} (±${CORRELATION_TOL})`).toBeLessThan(CORRELATION_TOL);
    }
    expect(Math.abs(rightLast / N - 0.5), 'copying the last symbol is at chance').toBeLessThan(CORRELATION_TOL);
    expect(task.accuracy(new Float32Array(b.targets), b.targets)).toBe(1);
  });
});

describe('seeded streams', () => {
  it.each([['adding', addingTask(7)], ['recall', recallTask(7)]] as const)('should give the same batches for the same seed and different ones otherwise (%s)', (_, task) => {
    expect(trainStream(task, 5).next()).toBe(trainStream(task, 5).next());
    const a = task.sample(trainStream(task, 5), 16);
    const again = task.sample(trainStream(task, 5), 16);
    const other = task.sample(trainStream(task, 6), 16);
    expect(Array.from(a.inputs)).toEqual(Array.from(again.inputs));
    expect(Array.from(a.targets)).toEqual(Array.from(again.targets));
    expect(Array.from(a.inputs)).not.toEqual(Array.from(other.inputs));
    expect(Array.from(evalBatch(task, 5, 16).inputs), 'eval stream differs from train stream').not.toEqual(Array.from(a.inputs));
  });

  it.each([['adding', addingTask(6)], ['recall', recallTask(6)]] as const)('should redraw only the values before step T−lag, keeping markers and recomputing targets (%s)', (_, task) => {
    const T = task.seqLength;
    const b = evalBatch(task, 9, 64);
    const r = task.redrawPrefix(b, redrawStream(task, 9));
    let changed = 0;
    for (let i = 0; i < b.batch; i++) {
      for (let t = 0; t < T; t++) {
        expect(marker(r.inputs, T, i, t), 'markers kept').toBe(marker(b.inputs, T, i, t));
        if (t >= T - task.lag) expect(value(r.inputs, T, i, t), `value at t=${t} ≥ T−lag kept`).toBe(value(b.inputs, T, i, t));
        else if (value(r.inputs, T, i, t) !== value(b.inputs, T, i, t)) changed++;
      }
    }
    expect(changed, 'some prefix values changed').toBeGreaterThan(0);
  });
});

describe('learned criterion', () => {
  it('should call a loss learned iff it is at most LEARNED_MARGIN × baseline', () => {
    const task = recallTask(5);
    expect(isLearned(LEARNED_MARGIN * task.baseline, task)).toBe(true);
    expect(isLearned(LEARNED_MARGIN * task.baseline * 1.001, task)).toBe(false);
    expect(isLearned(NaN, task)).toBe(false);
  });

  it('should reject lags outside 1..4000 with the API name and the value', () => {
    expect(() => addingTask(0)).toThrow('addingTask: lag should be an integer from 1 to 4000, got 0');
    expect(() => recallTask(2.5)).toThrow('recallTask');
  });
});
