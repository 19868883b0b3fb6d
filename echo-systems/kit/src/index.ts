export type { Prng } from './createPrng.ts';
export { createPrng } from './createPrng.ts';
export type { ErrorSpec } from './DteError.ts';
export { DteError, formatError } from './DteError.ts';
export { KIT_ERRORS, KitError, type KitErrorCode, kitError } from './KitError.ts';
