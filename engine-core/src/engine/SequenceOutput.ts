import type { EngineTokenizer, TokenStreamDecoder } from './EngineTokenizer.ts';
import type { FinishReason, Sequence } from './Sequence.ts';
import { StopStringMatcher } from './StopStringMatcher.ts';

/** What one new token changes in a sequence's visible output. */
export interface TokenOutcome {
  text: string;
  finishReason: FinishReason | undefined;
}

/**
 * Per-sequence output state: stream detokenizer, stop-string matcher and the stop rules (EOS,
 * stop token ids, stop strings, `minTokens`, `maxTokens`, the model length limit).
 */
export class SequenceOutput {
  private readonly decoder: TokenStreamDecoder;
  private readonly matcher: StopStringMatcher;
  private readonly tokenizer: EngineTokenizer;
  private readonly maxModelLen: number;
  /** Timestamps (engine clock) for latency metrics. */
  readonly arrivalTime: number;
  firstTokenTime: number | undefined;
  lastTokenTime: number | undefined;

  constructor(seq: Sequence, tokenizer: EngineTokenizer, maxModelLen: number, now: number) {
    this.tokenizer = tokenizer;
    this.decoder = tokenizer.createStreamDecoder({ skipSpecial: seq.params.skipSpecialTokens });
    // Prime with the prompt so the first output token decodes in context (e.g. keeps SPM's leading space).
    for (const t of seq.tokenIds) this.decoder.push(t);
    this.matcher = new StopStringMatcher(seq.params.stop);
    this.maxModelLen = maxModelLen;
    this.arrivalTime = now;
  }

  /** Token ids that may not be sampled yet (`minTokens` not reached). */
  blockedTokens(seq: Sequence): number[] {
    const p = seq.params;
    if (seq.numOutputTokens >= p.minTokens) return [];
    const ids = [...p.stopTokenIds];
    if (!p.ignoreEos) ids.push(this.tokenizer.eosId);
    return ids;
  }

  /** Applies the stop rules to the token just appended to `seq`. */
  onToken(seq: Sequence, tokenId: number): TokenOutcome {
    const p = seq.params;
    const k = seq.numOutputTokens;
    const canStop = k > p.minTokens;
    if (canStop && ((!p.ignoreEos && this.tokenizer.isEog(tokenId)) || p.stopTokenIds.includes(tokenId))) {
      return { text: this.finishText(), finishReason: 'stop' };
    }
    let text = this.decoder.push(tokenId);
    if (canStop) {
      const m = this.matcher.push(text);
      if (m.isStopped) return { text: m.text, finishReason: 'stop' };
      text = m.text;
    }
    if (k >= p.maxTokens || seq.numTokens >= this.maxModelLen) {
      return { text: text + this.finishText(), finishReason: 'length' };
    }
    return { text, finishReason: undefined };
  }

  /** Text still held back when the sequence ends for a reason other than a stop string. */
  finishText(): string {
    const m = this.matcher.push(this.decoder.flush());
    return m.isStopped ? m.text : m.text + this.matcher.flush();
  }
}
