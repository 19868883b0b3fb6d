export type { DtesnErrorCode } from './DtesnError.ts';
export { DTESN_ERRORS, DtesnError, dtesnError } from './DtesnError.ts';
export type { MackeyGlassOptions } from './datasets/mackeyGlass.ts';
export { mackeyGlass } from './datasets/mackeyGlass.ts';
export { mse, nmse, nrmse, rmse, squaredCorrelation } from './datasets/metrics.ts';
export type { NarmaSeries } from './datasets/narma.ts';
export { narma } from './datasets/narma.ts';
export type {
  AgentSensation,
  DtesnOptions,
  DtesnPrediction,
  DtesnStates,
  DtesnSurprise,
  ReflexAction,
} from './kernel/Dtesn.ts';
export { Dtesn } from './kernel/Dtesn.ts';
export type { DtesnContext, DtesnEvent } from './kernel/dtesnMachine.ts';
export { dtesnMachine } from './kernel/dtesnMachine.ts';
export type { MembraneReservoirTreeOptions, TreeTick } from './kernel/MembraneReservoirTree.ts';
export { MembraneReservoirTree } from './kernel/MembraneReservoirTree.ts';
export { membraneLabel, membraneProgram } from './kernel/membraneRules.ts';
export type { MembraneTree } from './kernel/membraneTree.ts';
export { membraneTree } from './kernel/membraneTree.ts';
export type { Membrane, StepReport } from './psystem/PSystem.ts';
export { PSystem } from './psystem/PSystem.ts';
export { parsePLingua } from './psystem/parsePLingua.ts';
export type { Cnf } from './psystem/satModel.ts';
export { isSatisfiable, satModel } from './psystem/satModel.ts';
export type { Token } from './psystem/tokenizePLingua.ts';
export { tokenizePLingua } from './psystem/tokenizePLingua.ts';
export type {
  CommunicationRule,
  DissolutionRule,
  DivisionRule,
  EvolutionRule,
  MembraneSpec,
  Multiset,
  Polarization,
  PSystemModel,
  Rule,
} from './psystem/types.ts';
export { choleskySolve } from './reservoir/choleskySolve.ts';
export type { DeepEsnLayer } from './reservoir/DeepEsn.ts';
export { DeepEsn } from './reservoir/DeepEsn.ts';
export type { EsnOptions } from './reservoir/Esn.ts';
export { Esn } from './reservoir/Esn.ts';
export { freeRun } from './reservoir/freeRun.ts';
export { deriveSeed, gaussian } from './reservoir/gaussian.ts';
export type { MemoryCapacityOptions, StateRunner } from './reservoir/memoryCapacity.ts';
export { memoryCapacity } from './reservoir/memoryCapacity.ts';
export { RidgeReadout } from './reservoir/RidgeReadout.ts';
export { SparseMatrix } from './reservoir/SparseMatrix.ts';
export { countRootedTrees, rootedTreeCounts } from './trees/rootedTreeCounts.ts';
export { levelSequenceToParents, rootedTrees } from './trees/rootedTrees.ts';
