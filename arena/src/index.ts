export { ARENA_ERRORS, ArenaError, type ArenaErrorCode } from './ArenaError.ts';
export type { AgentBody } from './foraging/AgentBody.ts';
export { ACTIONS, Action, type ActionName, Cell, HEADINGS, PROPRIO_FIELDS, ViewObject } from './foraging/constants.ts';
export { expertPolicy } from './foraging/expertPolicy.ts';
export {
  ForagingArena,
  type ForagingInfo,
  type ForagingObservation,
  type ForagingState,
} from './foraging/ForagingArena.ts';
export {
  DEFAULT_FORAGING_CONFIG,
  FORAGING_PRESETS,
  type ForagingConfig,
  type ForagingPreset,
  foragingConfigFor,
  foragingWorldSize,
  OASES_FORAGING_CONFIG,
} from './foraging/ForagingConfig.ts';
export type { ParallelEnv, ResetResult, StepResult } from './ParallelEnv.ts';
export { Rng } from './Rng.ts';
export { encodePng } from './render/encodePng.ts';
export { renderAscii } from './render/renderAscii.ts';
export { renderJsonFrame } from './render/renderJsonFrame.ts';
export { renderPng } from './render/renderPng.ts';
export {
  type BoxSpace,
  type DictSpace,
  type DiscreteSpace,
  type Space,
  sampleDiscrete,
  spaceContains,
} from './spaces.ts';
export { TrajectoryRecorder } from './TrajectoryRecorder.ts';
