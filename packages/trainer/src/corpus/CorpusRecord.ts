/** One training example: a prompt and the answer that follows it. */
export interface CorpusRecord {
  /**
   * `choice`: a deliberation prompt (as `EchoMind` builds it, ending in `I choose option `) answered by
   * the teacher's option digit; `qa`: a question about the situation answered in words.
   */
  kind: 'choice' | 'qa';
  episode: number;
  agent: string;
  tick: number;
  prompt: string;
  answer: string;
  /** For `choice`, where a generator knows them: the action id chosen and the legal action ids in option order. */
  action?: number;
  legal?: number[];
}

/** The text of a record as the tokenizer is trained on it: the prompt followed by its answer. */
export function recordText(r: CorpusRecord): string {
  return r.prompt + r.answer;
}

/**
 * The number of numbered options of a choice prompt (`choicePrompt`'s `Options:` block: lines `1. …`,
 * `2. …`, …); 0 when the prompt has none.
 * @example optionCount('…\nOptions:\n1. eat …\n2. explore …\nI choose option ') // 2
 */
export function optionCount(prompt: string): number {
  const at = prompt.lastIndexOf('\nOptions:\n');
  if (at < 0) return 0;
  let n = 0;
  for (const line of prompt.slice(at + '\nOptions:\n'.length).split('\n')) {
    if (!line.startsWith(`${n + 1}. `)) break;
    n++;
  }
  return n;
}
