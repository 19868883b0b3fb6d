import type { AsyncEngine, Tokenizer } from '@dte/engine-core';
import { aarError } from './AarError.ts';

/** One deliberation: the prompt, the legal actions and who is asking. */
export interface ChoiceRequest {
  owner: string;
  /** Everything before the numbered options (persona, focus, memories, observation). */
  context: string;
  /** Legal action ids (a subset of `actionNames`' indices). */
  legal: readonly number[];
  priority: number;
  signal: AbortSignal;
  seed?: number;
}

/** The chosen action, the model's answer and the full prompt it saw. */
export interface Choice {
  action: number;
  thought: string;
  prompt: string;
}

/**
 * Asks the engine to pick one of the legal actions: the options are numbered 1…L in the prompt and the
 * single generated token is constrained (allowed-token mask) to the tokens of those numbers, so the
 * answer is always a legal action — never parsed out of free text.
 * @example const choice = await chooser.choose({ owner: 'agent_0', context, legal: [0, 2, 3], priority: 80, signal })
 */
export class ActionChooser {
  private labelIds: number[] | undefined;

  constructor(
    private readonly engine: AsyncEngine,
    private readonly tokenizer: Tokenizer,
    private readonly actionNames: readonly string[],
    /** Sampling temperature of the one-token answer (0: greedy). */
    readonly temperature = 0.7,
  ) {
    if (actionNames.length > 9)
      throw aarError('DTE_ERR_AAR_BAD_ARGUMENT', 'ActionChooser', 'at most 9 actions (one digit each)');
  }

  /** Token ids whose text is exactly "1" … "9" (a digit token or a byte-fallback token). */
  digitTokens(): number[] {
    if (this.labelIds) return this.labelIds;
    const found: Array<number | undefined> = new Array(10).fill(undefined);
    for (let id = 0; id < this.tokenizer.vocabSize; id++) {
      const bytes = this.tokenizer.tokenBytes(id);
      if (bytes.length === 1 && bytes[0]! >= 0x31 && bytes[0]! <= 0x39 && !this.tokenizer.isSpecial(id)) {
        const d = bytes[0]! - 0x30;
        if (found[d] === undefined) found[d] = id;
      }
    }
    const ids = found.slice(1, this.actionNames.length + 1);
    if (ids.some((id) => id === undefined))
      throw aarError('DTE_ERR_AAR_NO_DIGIT_TOKENS', 'ActionChooser', this.actionNames.length);
    this.labelIds = ids as number[];
    return this.labelIds;
  }

  /** The full prompt for a request: context, then the numbered legal options. */
  prompt(req: Pick<ChoiceRequest, 'context' | 'legal'>): string {
    const options = req.legal.map((a, i) => `${i + 1}. ${this.actionNames[a]}`).join('\n');
    return `${req.context}\nOptions:\n${options}\nI choose option `;
  }

  async choose(req: ChoiceRequest): Promise<Choice> {
    if (req.legal.length === 0) throw aarError('DTE_ERR_AAR_BAD_ARGUMENT', 'ActionChooser.choose', 'no legal action');
    const labels = this.digitTokens().slice(0, req.legal.length);
    const prompt = this.prompt(req);
    let tokenId: number | undefined;
    for await (const delta of this.engine.generate({
      prompt,
      owner: req.owner,
      priority: req.priority,
      signal: req.signal,
      sampling: {
        maxTokens: 1,
        temperature: this.temperature,
        allowedTokenIds: labels,
        ...(req.seed === undefined ? {} : { seed: req.seed }),
      },
    })) {
      tokenId ??= delta.tokenIds[0];
    }
    const k = tokenId === undefined ? -1 : labels.indexOf(tokenId);
    if (k < 0) throw aarError('DTE_ERR_AAR_NO_ANSWER', 'ActionChooser.choose');
    const action = req.legal[k]!;
    return { action, thought: `option ${k + 1}: ${this.actionNames[action]}`, prompt };
  }
}
