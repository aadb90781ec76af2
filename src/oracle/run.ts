import type { ModelParams } from '../models/params.js';
import type { Float64Overflow, JacobianChain } from '../numerics/jacobian-chain.js';
import type { Matrix } from '../linalg/matrix.js';
import { type OracleStep, oracleStep, stateSize, stepKernels } from './cells.js';

/**
 * A float64 run of a model over its input, independent of tfjs. Indexing follows PyTorch's
 * outputs: step t consumes x_t and produces o_t = h_t (the first H entries of the state s_t),
 * from s_{−1} = 0.
 */
export interface OracleRun extends JacobianChain {
  readonly steps: readonly OracleStep[];
  readonly states: readonly Float64Array[];
  /**
   * Where float64 itself first failed: the earliest step whose state s_t, or whose Jacobian,
   * holds ±∞ or NaN (a ReLU network whose state grows past 10³⁰⁸, say); null when none does.
   * chainProfile flags every value computed through it.
   */
  readonly firstOverflow: Float64Overflow | null;
}

const finite = (values: ArrayLike<number>): boolean => {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
};

/** The first quantity of a step that is not finite, or null. */
function overflowAt(step: OracleStep, t: number): Float64Overflow | null {
  if (!finite(step.state)) return { quantity: 'forward state s_t', step: t };
  const jacobians: Matrix[] = [step.jacobianState, step.jacobianInput];
  return jacobians.every((j) => finite(j.data)) ? null : { quantity: 'Jacobian ∂s_t/∂(s_{t−1}, x_t)', step: t };
}

export function oracleRun(params: ModelParams): OracleRun {
  const { seqLength: T, inputSize: D, hiddenSize: H } = params.config;
  let state: Float64Array = new Float64Array(stateSize(params));
  const steps: OracleStep[] = [];
  let firstOverflow: Float64Overflow | null = null;
  const kernels = stepKernels(params);
  for (let t = 0; t < T; t++) {
    const step = oracleStep(params, state, params.inputs.data.subarray(t * D, (t + 1) * D), kernels);
    steps.push(step);
    state = step.state;
    firstOverflow ??= overflowAt(step, t);
  }
  return {
    steps,
    states: steps.map((s) => s.state),
    jacobianState: steps.map((s) => s.jacobianState),
    jacobianInput: steps.map((s) => s.jacobianInput),
    outputSize: H,
    firstOverflow,
  };
}
