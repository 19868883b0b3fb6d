/** Stable codes of the arena's errors. */
export const ARENA_ERRORS = {
  DTE_ERR_ARENA_BAD_CONFIG: 'DTE_ERR_ARENA_BAD_CONFIG',
  DTE_ERR_ARENA_BAD_ACTION: 'DTE_ERR_ARENA_BAD_ACTION',
  DTE_ERR_ARENA_UNKNOWN_AGENT: 'DTE_ERR_ARENA_UNKNOWN_AGENT',
  DTE_ERR_ARENA_NOT_RESET: 'DTE_ERR_ARENA_NOT_RESET',
  /** An argument out of range (an empty array to pick from, pixels that do not fill the image). */
  DTE_ERR_ARENA_BAD_ARGUMENT: 'DTE_ERR_ARENA_BAD_ARGUMENT',
} as const;

export type ArenaErrorCode = keyof typeof ARENA_ERRORS;

/** A typed arena error; the message names the method (`ForagingArena.step: …`). */
export class ArenaError extends Error {
  override readonly name = 'ArenaError';
  constructor(
    readonly code: ArenaErrorCode,
    message: string,
  ) {
    super(message);
  }
}
