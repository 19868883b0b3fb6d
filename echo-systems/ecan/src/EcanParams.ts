import { ecanError } from './errors.ts';

/**
 * ECAN parameters. Defaults are OpenCog's: `AttentionBank.cc` (funds, wages, AF size)
 * and `default-param-values.scm` (targets, buffers, rents, spread, Hebbian cap).
 */
export interface EcanParams {
  /** Starting STI funds of the bank (AttentionBank: 100000). */
  readonly startingFundsSti: number;
  /** Starting LTI funds (100000). */
  readonly startingFundsLti: number;
  /** Target STI funds (TARGET_STI_FUNDS 10000). */
  readonly targetSti: number;
  /** Target LTI funds (TARGET_LTI_FUNDS 10000). */
  readonly targetLti: number;
  /** STI funds buffer (STI_FUNDS_BUFFER 10000). */
  readonly stiFundsBuffer: number;
  /** LTI funds buffer (LTI_FUNDS_BUFFER 10000). */
  readonly ltiFundsBuffer: number;
  /** STI wage per unit of stimulus at target funds (STIAtomWage 10). */
  readonly stiWage: number;
  /** LTI wage per unit of stimulus (LTIAtomWage 10). */
  readonly ltiWage: number;
  /** STI rent per atom per tick at target funds (STARTING_ATOM_STI_RENT 1). */
  readonly stiRent: number;
  /** LTI rent per atom per tick (STARTING_ATOM_LTI_RENT 1). */
  readonly ltiRent: number;
  /** Who pays rent each tick: every atom with positive STI (`all`) or only the focus (`focus`). */
  readonly rentScope: 'all' | 'focus';
  /**
   * `flat`: OpenCog's rent, `stiRent` per atom per tick (scaled by the funds); `proportional`: a
   * fraction `stiRentRate` of each atom's STI per tick, so that an atom stimulated at a steady rate
   * settles at rate ÷ stiRentRate — STI stays bounded by the stimulus, not only by the funds.
   */
  readonly rentMode: 'flat' | 'proportional';
  /** Share of its STI an atom pays per tick under `proportional` rent. */
  readonly stiRentRate: number;
  /** Attentional focus size K (AttentionBank maxAFSize 100). */
  readonly focusSize: number;
  /** Atoms need STI strictly above this to enter the focus. */
  readonly focusMinSti: number;
  /** Fraction of a focus atom's STI diffused per tick (MAX_SPREAD_PERCENTAGE 0.4). */
  readonly maxSpreadPercentage: number;
  /** Cap on the share of diffusion that goes over Hebbian links (HEBBIAN_MAX_ALLOCATION_PERCENTAGE 0.05). */
  readonly hebbianMaxAllocation: number;
  /** Diffuse only along Hebbian links (SPREAD_HEBBIAN_ONLY 0). */
  readonly spreadHebbianOnly: boolean;
  /** Most Hebbian links per atom (MAX_LINKS 300). */
  readonly maxHebbianLinks: number;
  /** Local-to-far Hebbian link ratio (LOCAL_FAR_LINK_RATIO 10). */
  readonly localFarLinkRatio: number;
  /** Hebbian strength learning rate (HebbianUpdatingAgent tcDecayRate 0.1). */
  readonly hebbianDecay: number;
  /** Focus atoms whose Hebbian links are updated per tick (HebbianUpdatingAgent: 1 random source). */
  readonly hebbianUpdateSources: number;
  /** Forgetting starts above this many atoms (ForgettingAgent ECAN_ATOMSPACE_MAXSIZE 10000). */
  readonly forgetMaxAtoms: number;
  /** Tolerated overshoot before forgetting (ECAN_ATOMSPACE_ACCEPTABLE_SIZE_SPREAD 100). */
  readonly forgetSizeSpread: number;
}

/** OpenCog's defaults. */
export const DEFAULT_ECAN_PARAMS: EcanParams = Object.freeze({
  startingFundsSti: 100_000,
  startingFundsLti: 100_000,
  targetSti: 10_000,
  targetLti: 10_000,
  stiFundsBuffer: 10_000,
  ltiFundsBuffer: 10_000,
  stiWage: 10,
  ltiWage: 10,
  stiRent: 1,
  ltiRent: 1,
  rentScope: 'all',
  rentMode: 'flat',
  stiRentRate: 0.1,
  focusSize: 100,
  focusMinSti: 0,
  maxSpreadPercentage: 0.4,
  hebbianMaxAllocation: 0.05,
  spreadHebbianOnly: false,
  maxHebbianLinks: 300,
  localFarLinkRatio: 10,
  hebbianDecay: 0.1,
  hebbianUpdateSources: 1,
  forgetMaxAtoms: 10_000,
  forgetSizeSpread: 100,
});

/** Merges overrides onto the defaults and validates every field (`DTE_ERR_ECAN_BAD_PARAMS`). */
export function resolveEcanParams(overrides: Partial<EcanParams> = {}): EcanParams {
  const p: EcanParams = { ...DEFAULT_ECAN_PARAMS, ...overrides };
  const bad = (why: string) => ecanError('DTE_ERR_ECAN_BAD_PARAMS', 'resolveEcanParams', why);
  for (const [k, v] of Object.entries(p)) {
    if (k === 'rentScope') {
      if (v !== 'all' && v !== 'focus') throw bad(`rentScope must be 'all' or 'focus'`);
    } else if (k === 'rentMode') {
      if (v !== 'flat' && v !== 'proportional') throw bad(`rentMode must be 'flat' or 'proportional'`);
    } else if (k === 'spreadHebbianOnly') {
      if (typeof v !== 'boolean') throw bad('spreadHebbianOnly must be a boolean');
    } else if (typeof v !== 'number' || Number.isNaN(v)) throw bad(`${k} must be a number`);
    else if (k !== 'focusMinSti' && v < 0) throw bad(`${k} must not be negative`);
  }
  if (!Number.isInteger(p.focusSize) || p.focusSize < 1) throw bad('focusSize must be a positive integer');
  if (p.stiFundsBuffer <= 0 || p.ltiFundsBuffer <= 0) throw bad('funds buffers must be positive');
  if (p.maxSpreadPercentage > 1 || p.hebbianMaxAllocation > 1 || p.hebbianDecay > 1 || p.stiRentRate > 1)
    throw bad('percentages must lie in [0, 1]');
  if (p.localFarLinkRatio <= 0) throw bad('localFarLinkRatio must be positive');
  if (!Number.isInteger(p.hebbianUpdateSources)) throw bad('hebbianUpdateSources must be an integer');
  return p;
}
