import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/models/rng.js';
import { type Tolerance, describeMismatch, isClose } from '../../src/numerics/close.js';
import {
  ADDING_EARLY_WINDOW,
  LEARNED_MARGIN,
  UNIFORM_VARIANCE,
  addingTask,
  evalBatch,
  isLearned,
  recallTask,
  redrawStream,
  trainStream,
} from '../../src/experiments/tasks.js';

/** Monte Carlo sample size; the standard error of the adding baseline's MSE is √(1/80 − 1/144)/√N ≈ 5e-4. */
const N = 20_000;
/** 5 standard errors of each estimate. */
const ADDING_TOL = (5 * Math.sqrt(1 / 80 - 1 / 144)) / Math.sqrt(N);
const CORRELATION_TOL = 5 / Math.sqrt(N);
/** A target stored in a Float32Array is the sum of two float32 values rounded once: within 2⁻²⁴ relative; 2⁻²³ allowed. */
const FLOAT32_SUM: Tolerance = { atol: 0, rtol: 2 ** -23 };
const show = (v: ArrayLike<number>): string => `[${Array.from(v).slice(0, 6).join(', ')}${v.length > 6 ? ', …' : ''}] (${v.length})`;

const value = (inputs: Float32Array, T: number, i: number, t: number): number => inputs[(i * T + t) * 2];
const marker = (inputs: Float32Array, T: number, i: number, t: number): number => inputs[(i * T + t) * 2 + 1];

describe('adding problem', () => {
  it.each([5, 20, 100])('should place one marker in the early window and one after it, so the dependency spans ≥ lag steps, for lag %i', (lag) => {
    const task = addingTask(lag);
    const T = task.seqLength;
    expect(T, `T = ${T} against lag + early window = ${lag} + ${ADDING_EARLY_WINDOW}`).toBe(lag + ADDING_EARLY_WINDOW);
    const b = task.sample(new Rng(1, 'spec'), 500);
    for (let i = 0; i < b.batch; i++) {
      const marks = Array.from({ length: T }, (_, t) => t).filter((t) => marker(b.inputs, T, i, t) === 1);
      expect(marks.length, `sequence ${i}: markers at [${marks.join(', ')}], two expected`).toBe(2);
      expect(marks[0], `sequence ${i}: first marker at ${marks[0]} against [0, ${ADDING_EARLY_WINDOW})`).toBeLessThan(ADDING_EARLY_WINDOW);
      expect(T - 1 - marks[0], `sequence ${i}: distance from first marker to readout ${T - 1 - marks[0]} against ≥ lag ${lag}`).toBeGreaterThanOrEqual(lag);
      expect(marks[1], `sequence ${i}: second marker at ${marks[1]} against ≥ T − lag = ${T - lag}`).toBeGreaterThanOrEqual(T - lag);
      const sum = value(b.inputs, T, i, marks[0]) + value(b.inputs, T, i, marks[1]);
      expect(isClose(b.targets[i], sum, FLOAT32_SUM), describeMismatch(`sequence ${i}: target vs sum of marked values`, b.targets[i], sum, FLOAT32_SUM)).toBe(
        true,
      );
    }
  });

  it('should have baseline 1/12: the MSE of x[p2] + 1/2, by Monte Carlo', () => {
    const task = addingTask(10);
    const T = task.seqLength;
    const b = task.sample(new Rng(2, 'spec'), N);
    let se = 0,
      seConst = 0;
    for (let i = 0; i < N; i++) {
      let second = 0;
      for (let t = T - task.lag; t < T; t++) if (marker(b.inputs, T, i, t) === 1) second = value(b.inputs, T, i, t);
      se += (b.targets[i] - (second + 0.5)) ** 2;
      seConst += (b.targets[i] - 1) ** 2;
    }
    expect(task.baseline, `adding baseline ${task.baseline} against Var U(0,1) = ${UNIFORM_VARIANCE}`).toBe(UNIFORM_VARIANCE);
    const mcTol: Tolerance = { atol: ADDING_TOL, rtol: 0 },
      constTol: Tolerance = { atol: 2 * ADDING_TOL, rtol: 0 };
    expect(isClose(se / N, 1 / 12, mcTol), describeMismatch('Monte Carlo MSE of x[p2] + 1/2 vs 1/12', se / N, 1 / 12, mcTol)).toBe(true);
    expect(isClose(seConst / N, 1 / 6, constTol), describeMismatch('Monte Carlo MSE of the constant 1 vs 1/6', seConst / N, 1 / 6, constTol)).toBe(true);
  });
});

describe('lag-k recall', () => {
  it('should have baseline MSE 1 and chance accuracy 1/2: the target is uncorrelated with every input the baseline may see', () => {
    const lag = 8;
    const task = recallTask(lag);
    const T = task.seqLength;
    expect(T, `T = ${T} against lag + 1 = ${lag + 1}`).toBe(lag + 1);
    const b = task.sample(new Rng(3, 'spec'), N);
    let mse0 = 0,
      rightLast = 0,
      wrongTargets = 0;
    for (let i = 0; i < N; i++) {
      if (Math.abs(b.targets[i]) !== 1 || b.targets[i] !== value(b.inputs, T, i, T - 1 - lag)) wrongTargets++;
      mse0 += b.targets[i] ** 2;
      if (Math.sign(value(b.inputs, T, i, T - 1)) === Math.sign(b.targets[i])) rightLast++;
    }
    expect(wrongTargets, `${wrongTargets} of ${N} targets are not the ±1 symbol at step T−1−lag, 0 expected`).toBe(0);
    expect(mse0 / N, `MSE of predicting 0: ${mse0 / N} against the baseline ${task.baseline}`).toBe(task.baseline);
    const correlationTol: Tolerance = { atol: CORRELATION_TOL, rtol: 0 };
    for (let t = T - lag; t < T; t++) {
      let r = 0;
      for (let i = 0; i < N; i++) r += b.targets[i] * value(b.inputs, T, i, t);
      expect(isClose(r / N, 0, correlationTol), describeMismatch(`correlation of target with the distractor at t=${t} vs 0`, r / N, 0, correlationTol)).toBe(
        true,
      );
    }
    expect(
      isClose(rightLast / N, 0.5, correlationTol),
      describeMismatch('accuracy of copying the last symbol vs chance', rightLast / N, 0.5, correlationTol),
    ).toBe(true);
    const perfect = task.accuracy(new Float32Array(b.targets), b.targets);
    expect(perfect, `accuracy of predicting the targets themselves: ${perfect} against 1`).toBe(1);
  });
});

describe('seeded streams', () => {
  it.each([
    ['adding', addingTask(7)],
    ['recall', recallTask(7)],
  ] as const)('should give the same batches for the same seed and different ones otherwise (%s)', (_, task) => {
    const first = trainStream(task, 5).next(),
      second = trainStream(task, 5).next();
    expect(first, `first draw of seed 5's stream: ${first} against ${second} from a second stream`).toBe(second);
    const a = task.sample(trainStream(task, 5), 16);
    const again = task.sample(trainStream(task, 5), 16);
    const other = task.sample(trainStream(task, 6), 16);
    const evalInputs = evalBatch(task, 5, 16).inputs;
    expect(Array.from(a.inputs), `seed 5 inputs ${show(a.inputs)} against seed 5 again ${show(again.inputs)}`).toEqual(Array.from(again.inputs));
    expect(Array.from(a.targets), `seed 5 targets ${show(a.targets)} against seed 5 again ${show(again.targets)}`).toEqual(Array.from(again.targets));
    expect(Array.from(a.inputs), `seed 5 inputs ${show(a.inputs)} should differ from seed 6's ${show(other.inputs)}`).not.toEqual(Array.from(other.inputs));
    expect(Array.from(evalInputs), `eval inputs ${show(evalInputs)} should differ from train inputs ${show(a.inputs)}`).not.toEqual(Array.from(a.inputs));
  });

  it.each([
    ['adding', addingTask(6)],
    ['recall', recallTask(6)],
  ] as const)('should redraw only the values before step T−lag, keeping markers and recomputing targets (%s)', (_, task) => {
    const T = task.seqLength;
    const b = evalBatch(task, 9, 64);
    const r = task.redrawPrefix(b, redrawStream(task, 9));
    let changed = 0;
    for (let i = 0; i < b.batch; i++) {
      for (let t = 0; t < T; t++) {
        expect(marker(r.inputs, T, i, t), `sequence ${i} t=${t}: marker after redraw ${marker(r.inputs, T, i, t)} against ${marker(b.inputs, T, i, t)}`).toBe(
          marker(b.inputs, T, i, t),
        );
        if (t >= T - task.lag)
          expect(
            value(r.inputs, T, i, t),
            `sequence ${i} t=${t} ≥ T−lag = ${T - task.lag}: value after redraw ${value(r.inputs, T, i, t)} against ${value(b.inputs, T, i, t)}`,
          ).toBe(value(b.inputs, T, i, t));
        else if (value(r.inputs, T, i, t) !== value(b.inputs, T, i, t)) changed++;
      }
    }
    expect(changed, `${changed} prefix values changed, some expected`).toBeGreaterThan(0);
  });
});

describe('learned criterion', () => {
  it('should call a loss learned iff it is at most LEARNED_MARGIN × baseline', () => {
    const task = recallTask(5);
    const criterion = LEARNED_MARGIN * task.baseline;
    expect(isLearned(criterion, task), `loss ${criterion} at the criterion ${criterion}: learned`).toBe(true);
    expect(isLearned(criterion * 1.001, task), `loss ${criterion * 1.001} above the criterion ${criterion}: not learned`).toBe(false);
    expect(isLearned(NaN, task), `loss NaN against the criterion ${criterion}: not learned`).toBe(false);
  });

  it('should reject lags outside 1..4000 with the API name and the value', () => {
    const zero = 'addingTask: lag should be an integer from 1 to 4000, got 0';
    expect(() => addingTask(0), `addingTask(0) should throw "${zero}"`).toThrow(zero);
    expect(() => recallTask(2.5), 'recallTask(2.5) should throw a message naming recallTask').toThrow('recallTask');
  });
});
