export { AAR_ERRORS, AarError, type AarErrorCode, aarError } from './AarError.ts';
export { ActionChooser, type Choice, type ChoiceRequest } from './ActionChooser.ts';
export type { AgentMind, Decision, DecisionSource, Percept, SenseResult } from './AgentMind.ts';
export type { AdapterStep, ArenaAdapter } from './ArenaAdapter.ts';
export {
  type AarContext,
  type AarEvent,
  type AarInput,
  aarMachine,
  type ClockMode,
  type TickRecord,
} from './aarMachine.ts';
export { type AgentContext, type AgentEvent, agentMachine } from './agentMachine.ts';
export { computeUrgency, priorityOf } from './computeUrgency.ts';
export { createEchoMinds, type EchoMindsOptions } from './createEchoMinds.ts';
export { EchoMind, type EchoMindOptions } from './EchoMind.ts';
export { EchoWorld, type EchoWorldOptions } from './EchoWorld.ts';
export { ForagingAdapter, perceptOf } from './foragingAdapter.ts';
export { ReflexMind } from './ReflexMind.ts';
export { type AarRunResult, runAar } from './runAar.ts';
export { type AgentStreams, selectAgentStreams, selectTicks } from './selectAgentStreams.ts';
export { stepAar } from './stepAar.ts';
export { type PriorityChange, type PrioritySink, urgencyFeedback } from './urgencyFeedback.ts';
