export { AttentionBank } from './AttentionBank.ts';
export {
  combineIncidentAdjacentVectors,
  type DiffusionEvent,
  diffuseAtom,
  hebbianAdjacentAtoms,
  hebbianDiffusionPercentage,
  incidentAtoms,
  probabilityVectorHebbianAdjacent,
  probabilityVectorIncident,
  spreadImportance,
} from './diffusion.ts';
export { Ecan, type EcanOptions, type EcanState, type FocusEvent, type StiSnapshot, type TickReport } from './Ecan.ts';
export { DEFAULT_ECAN_PARAMS, type EcanParams, resolveEcanParams } from './EcanParams.ts';
export { type EcanContext, type EcanEvent, ecanMachine } from './ecanMachine.ts';
export { ltiRent, ltiWage, stiRent, stiWage } from './economy.ts';
export { ECAN_ERRORS, EcanError, type EcanErrorCode, ecanError } from './errors.ts';
export { forgetAtoms } from './forgetAtoms.ts';
export { createHebbianLinks, normalisedZeroToOne, targetConjunction, updateHebbianLinks } from './hebbian.ts';
export { diffFocus, selectFocus } from './selectFocus.ts';
