export { AAR_ERRORS, AarError, type AarErrorCode, aarError } from './AarError.ts';
export type {
  AgentMind,
  BodyState,
  Decision,
  DecisionSource,
  Deliberation,
  Percept,
  SenseResult,
  Sighting,
  ThingKind,
} from './AgentMind.ts';
export type { AdapterStep, AgentStatus, ArenaAdapter } from './ArenaAdapter.ts';
export {
  type AarContext,
  type AarEvent,
  type AarInput,
  aarMachine,
  type ClockMode,
  type StepClock,
  type TickRecord,
} from './aarMachine.ts';
export { type AgentContext, type AgentDecided, type AgentEvent, agentMachine } from './agentMachine.ts';
export {
  buildEchoRun,
  ECHO_VARIANTS,
  type EchoEngine,
  type EchoRun,
  type EchoRunOptions,
  type EchoVariant,
  PERSONAS,
  variantNeedsEngine,
} from './buildEchoRun.ts';
export {
  type Choice,
  type ChoiceDetail,
  type ChoiceRequest,
  type Chooser,
  choicePrompt,
  EngineChooser,
  TeacherChooser,
} from './Chooser.ts';
export { CognitiveMap, compassOf, type DistanceField, type MapCell, type MapChange } from './CognitiveMap.ts';
export { computeUrgency, priorityOf } from './computeUrgency.ts';
export { DangerModel, ECHO_TICKS, type HazardEcho, hazardEcho, PATCH_DIM, patchOf } from './DangerModel.ts';
export { EchoMind, type EchoMindOptions, MIND_ECAN, type MindParts } from './EchoMind.ts';
export { bodyOf, ForagingAdapter, type ForagingWorld, perceptOf } from './foragingAdapter.ts';
export {
  type ActionIds,
  actionIdsOf,
  type Danger,
  type Goal,
  goalBudget,
  type MotorStep,
  motorStep,
  reflexAction,
  turnToward,
} from './motor.ts';
export {
  type DeliberationOption,
  exploreOption,
  isAvailable,
  NEED_THRESHOLD,
  type OptionKind,
  type PlaceState,
  placeLabel,
  placeOption,
  type Regrowth,
  type RememberedPlace,
  teacherChoice,
} from './options.ts';
export { RandomMind, ReflexMind } from './ReflexMind.ts';
export { type AarRunResult, runAar } from './runAar.ts';
export {
  type AblationOptions,
  type AblationOutcome,
  type AblationResult,
  ablationEngine,
  type Estimate,
  mean,
  runAblation,
  tInterval,
} from './runAblation.ts';
export { type AgentStreams, selectAgentStreams, selectTicks } from './selectAgentStreams.ts';
export { stepAar } from './stepAar.ts';
export { type PriorityChange, type PrioritySink, urgencyFeedback } from './urgencyFeedback.ts';
