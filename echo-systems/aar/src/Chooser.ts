import type { AsyncEngine, Tokenizer } from '@dte/engine-core';
import { aarError } from './AarError.ts';
import type { BodyState } from './AgentMind.ts';
import { type DeliberationOption, type Regrowth, teacherChoice } from './options.ts';

/** What a scripted chooser may read: the options behind the labels, the body, the tick. */
export interface ChoiceDetail {
  options: readonly DeliberationOption[];
  body: BodyState;
  tick: number;
  regrowth: Regrowth;
}

/** One deliberation: the prompt context, the numbered options and who is asking. */
export interface ChoiceRequest {
  owner: string;
  /** Everything before the numbered options (persona, tick, focus, observation). */
  context: string;
  /** The option texts, in prompt order (at most 9). */
  options: readonly string[];
  priority: number;
  signal: AbortSignal;
  seed?: number;
  detail?: ChoiceDetail;
}

/** The chosen option, the answer and the full prompt. */
export interface Choice {
  index: number;
  thought: string;
  prompt: string;
  /**
   * From the engine: the raw log-probability of each option's digit (in option order), so that the
   * policy's own probability of the choice, softmax(logprobs / temperature), is known (rollouts for
   * policy-gradient training).
   */
  optionLogprobs?: number[];
}

/** Picks one of a deliberation's options: the engine, a scripted teacher, or a test double of either. */
export interface Chooser {
  choose(req: ChoiceRequest): Promise<Choice>;
  /** The full prompt for a context and its options (what the model reads). */
  prompt?(context: string, options: readonly string[]): string;
}

/** The deliberation prompt: the context, the options numbered 1…n, then `I choose option `. */
export function choicePrompt(context: string, options: readonly string[]): string {
  return `${context}\nOptions:\n${options.map((o, i) => `${i + 1}. ${o}`).join('\n')}\nI choose option `;
}

function checkOptions(req: ChoiceRequest, where: string): void {
  if (req.options.length === 0) throw aarError('DTE_ERR_AAR_BAD_ARGUMENT', where, 'no option to choose from');
  if (req.options.length > 9) throw aarError('DTE_ERR_AAR_BAD_ARGUMENT', where, 'at most 9 options (one digit each)');
}

/**
 * Asks the engine to pick one of the options: they are numbered 1…n in the prompt and the single
 * generated token is constrained (allowed-token mask) to the tokens of those numbers, so the answer is
 * always one of the options — never parsed out of free text. The agent is the request's owner, so
 * `setPriority(owner, …)` reaches it while it waits.
 * @example const c = await chooser.choose({ owner: 'agent_0', context, options: ['drink …', 'explore …'], priority: 80, signal })
 */
export class EngineChooser implements Chooser {
  private labelIds: number[] | undefined;

  constructor(
    private readonly engine: AsyncEngine,
    private readonly tokenizer: Tokenizer,
    /** Sampling temperature of the one-token answer (0: greedy). */
    readonly temperature = 0.7,
  ) {}

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
    const ids = found.slice(1);
    if (ids.some((id) => id === undefined)) throw aarError('DTE_ERR_AAR_NO_DIGIT_TOKENS', 'EngineChooser', 9);
    this.labelIds = ids as number[];
    return this.labelIds;
  }

  prompt(context: string, options: readonly string[]): string {
    return choicePrompt(context, options);
  }

  async choose(req: ChoiceRequest): Promise<Choice> {
    checkOptions(req, 'EngineChooser.choose');
    const labels = this.digitTokens().slice(0, req.options.length);
    const prompt = choicePrompt(req.context, req.options);
    let tokenId: number | undefined;
    let optionLogprobs: number[] | undefined;
    for await (const delta of this.engine.generate({
      prompt,
      owner: req.owner,
      priority: req.priority,
      signal: req.signal,
      sampling: {
        maxTokens: 1,
        temperature: this.temperature,
        allowedTokenIds: labels,
        logprobs: true,
        ...(req.seed === undefined ? {} : { seed: req.seed }),
      },
    })) {
      tokenId ??= delta.tokenIds[0];
      optionLogprobs ??= delta.logprobs?.[0]?.allowedLogprobs?.map((l) => l.logprob);
    }
    const k = tokenId === undefined ? -1 : labels.indexOf(tokenId);
    if (k < 0) throw aarError('DTE_ERR_AAR_NO_ANSWER', 'EngineChooser.choose');
    return {
      index: k,
      thought: `option ${k + 1}: ${req.options[k]}`,
      prompt,
      ...(optionLogprobs ? { optionLogprobs } : {}),
    };
  }
}

/**
 * The scripted teacher: chooses from the options behind the prompt by the rule of `teacherChoice`
 * (the most pressing need's nearest available place, else explore), using only what the prompt shows.
 * It makes the imitation corpus and is the reference policy of evaluations. Answers at once.
 */
export class TeacherChooser implements Chooser {
  /** Every prompt answered, in order, with its answer (the corpus a run produces). */
  readonly answered: Array<{ owner: string; tick: number; prompt: string; answer: number }> = [];

  prompt(context: string, options: readonly string[]): string {
    return choicePrompt(context, options);
  }

  async choose(req: ChoiceRequest): Promise<Choice> {
    checkOptions(req, 'TeacherChooser.choose');
    const d = req.detail;
    if (!d || d.options.length !== req.options.length)
      throw aarError('DTE_ERR_AAR_BAD_ARGUMENT', 'TeacherChooser.choose', 'the request carries no option detail');
    const index = teacherChoice(d.options, d.body, d.tick, d.regrowth);
    const prompt = choicePrompt(req.context, req.options);
    this.answered.push({ owner: req.owner, tick: d.tick, prompt, answer: index });
    return { index, thought: `option ${index + 1}: ${req.options[index]}`, prompt };
  }
}
