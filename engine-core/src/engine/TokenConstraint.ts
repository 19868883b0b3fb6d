/**
 * A per-request output constraint the sampler consults every step (structured outputs, legal
 * actions): it masks the logits to `allowedTokens(state, …)` and is advanced with each sampled token.
 * The state is per sequence (each of `n` samples starts from `initialState()`), so one constraint
 * object may serve many sequences. Implementations must always allow at least one token.
 */
export interface TokenConstraint<S = unknown> {
  initialState(): S;
  /**
   * Token ids that may be sampled next.
   * @param numTokensLeft output tokens still allowed, this one included (`maxTokens - numOutputTokens`),
   *   so a constraint can steer the output to a proper end before the length limit.
   */
  allowedTokens(state: S, numTokensLeft: number): ArrayLike<number>;
  /** The state after `tokenId` was appended (end-of-generation tokens included). */
  advance(state: S, tokenId: number): S;
}
