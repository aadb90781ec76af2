import type { ModelParams } from '../models/params.js';
import type { JacobianChain } from '../numerics/jacobian-chain.js';
import { type OracleStep, oracleStep, stateSize } from './cells.js';

/**
 * A float64 run of a model over its input, independent of tfjs. Indexing follows PyTorch's
 * outputs: step t consumes x_t and produces o_t = h_t (the first H entries of the state s_t),
 * from s_{−1} = 0.
 */
export interface OracleRun extends JacobianChain {
  readonly steps: readonly OracleStep[];
  readonly states: readonly Float64Array[];
}

export function oracleRun(params: ModelParams): OracleRun {
  const { seqLength: T, inputSize: D, hiddenSize: H } = params.config;
  let state: Float64Array = new Float64Array(stateSize(params));
  const steps: OracleStep[] = [];
  for (let t = 0; t < T; t++) {
    const step = oracleStep(params, state, params.inputs.data.subarray(t * D, (t + 1) * D));
    steps.push(step);
    state = step.state;
  }
  return {
    steps,
    states: steps.map((s) => s.state),
    jacobianState: steps.map((s) => s.jacobianState),
    jacobianInput: steps.map((s) => s.jacobianInput),
    outputSize: H,
  };
}
