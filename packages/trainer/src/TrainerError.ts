/** Stable codes of the trainer's errors. */
export const TRAINER_ERRORS = {
  DTE_ERR_TRAINER_BAD_OPTIONS: 'DTE_ERR_TRAINER_BAD_OPTIONS',
  DTE_ERR_TRAINER_BAD_CHECKPOINT: 'DTE_ERR_TRAINER_BAD_CHECKPOINT',
} as const;

export type TrainerErrorCode = keyof typeof TRAINER_ERRORS;

/** A typed trainer error; the message names the function (`trainLoop: …`). */
export class TrainerError extends Error {
  override readonly name = 'TrainerError';
  constructor(
    readonly code: TrainerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
