/**
 * Public entry point: validated configurations, seeded models, the probes, the float64
 * oracle and the claim registry, for users who check their own recurrent configurations.
 */
export { ConfigError } from './config/errors.js';
export { DEMO_CONFIG, PYTORCH_GATED_DEFAULTS, TFJS_GATED_DEFAULTS, makeConfig, type ModelConfig, type InitScheme } from './config/types.js';
export { parseModelConfig, validateModelConfig } from './config/validate.js';
export { resolveBackend, type BackendInfo } from './backend/resolve.js';
export { createParams, type ModelParams } from './models/params.js';
export { buildTfModel, type TfModel } from './models/tf-model.js';
export { temporalProfile, type TemporalProfile, type FlaggedTemporalProfile, type ProfileQuantity } from './probes/gradient-profile.js';
export { demoProfile, demoProfilePerTimestep } from './probes/demo.js';
export { stepJacobians } from './probes/jacobians.js';
export { spectrum, recurrentMatrix, jacobianNorms } from './probes/spectra.js';
export { saturationStats, preActivationsOf } from './probes/saturation.js';
export { paramGradStats } from './probes/param-grads.js';
export { finalStateSensitivity } from './probes/sensitivity.js';
export { forgetGateProbe } from './probes/lstm-forget.js';
export { oracleRun } from './oracle/run.js';
export { chainProfile, chainDemo } from './numerics/jacobian-chain.js';
export { isClose, isCloseLog10 } from './numerics/close.js';
export { float32Log10Tolerance, log10Disagreement, type Log10Series, type FlaggedLog10Series, type Float32Overflow } from './numerics/log-norm.js';
export { CLAIMS, PENDING, findClaim } from './claims/registry.js';
export type { Claim, Region, Evaluation, KeyNumberDeclaration } from './engine/types.js';
export {
  gradientProfile,
  RECURRENT_LAYER_CLASSES,
  type LayersGradientProfile,
  type GradientProfileOptions,
  type LayersQuantity,
} from './api/layers-profile.js';
export type { MeasurementSource, Measured } from './engine/measured.js';
export { modelClaim, withinDecades, type ModelClaimSpec, type ProfileCheck } from './testing/claims.js';
