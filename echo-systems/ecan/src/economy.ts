import type { EcanParams } from './EcanParams.ts';

function clampUnit(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

/**
 * STI wage per unit of stimulus (OpenCog `AttentionBank::calculateSTIWage`):
 * `wage + wage * clamp((funds - target) / buffer, -1, 1)`. A rich bank pays up to 2x, a poor one 0.
 *
 * @example
 * ```ts
 * stiWage(100_000, DEFAULT_ECAN_PARAMS); // 20
 * ```
 */
export function stiWage(funds: number, p: EcanParams): number {
  return p.stiWage + p.stiWage * clampUnit((funds - p.targetSti) / p.stiFundsBuffer);
}

/** LTI wage per unit of stimulus (`calculateLTIWage`). */
export function ltiWage(funds: number, p: EcanParams): number {
  return p.ltiWage + p.ltiWage * clampUnit((funds - p.targetLti) / p.ltiFundsBuffer);
}

/**
 * STI rent per atom per *tick* (OpenCog's `RentCollectionBaseAgent::calculate_STI_Rent`):
 * `rent + rent * clamp((target - funds) / buffer, -1, 1)`. OpenCog's AF rent agent then scales it
 * by elapsed wall-clock time; ours charges it once per tick so runs are reproducible.
 */
export function stiRent(funds: number, p: EcanParams): number {
  return p.stiRent + p.stiRent * clampUnit((p.targetSti - funds) / p.stiFundsBuffer);
}

/** LTI rent per atom per tick. */
export function ltiRent(funds: number, p: EcanParams): number {
  return p.ltiRent + p.ltiRent * clampUnit((p.targetLti - funds) / p.ltiFundsBuffer);
}
