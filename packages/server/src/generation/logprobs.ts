import type { SampleResult, Tokenizer } from '@dte/engine-core';

/** One entry of a chat choice's `logprobs.content`. */
export interface ChatTokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

function entry(tokenizer: Tokenizer, id: number, logprob: number): { token: string; logprob: number; bytes: number[] } {
  return { token: tokenizer.tokenToPiece(id), logprob, bytes: [...tokenizer.tokenBytes(id)] };
}

/** Chat-style logprobs (`choices[].logprobs.content`) of sampled tokens. */
export function chatLogprobs(tokenizer: Tokenizer, samples: readonly SampleResult[]): ChatTokenLogprob[] {
  return samples.map((s) => ({
    ...entry(tokenizer, s.tokenId, s.logprob ?? 0),
    top_logprobs: (s.topLogprobs ?? []).map((t) => entry(tokenizer, t.tokenId, t.logprob)),
  }));
}

/** Legacy completions logprobs (`tokens`, `token_logprobs`, `top_logprobs`, `text_offset`). */
export interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: number[];
  top_logprobs: Record<string, number>[];
  text_offset: number[];
}

/** Completions-style logprobs of sampled tokens, text offsets counted from `startOffset`. */
export function completionLogprobs(
  tokenizer: Tokenizer,
  samples: readonly SampleResult[],
  startOffset: number,
): CompletionLogprobs {
  const out: CompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  let offset = startOffset;
  for (const s of samples) {
    const text = tokenizer.tokenToPiece(s.tokenId);
    out.tokens.push(text);
    out.token_logprobs.push(s.logprob ?? 0);
    const top: Record<string, number> = {};
    for (const t of s.topLogprobs ?? []) top[tokenizer.tokenToPiece(t.tokenId)] = t.logprob;
    out.top_logprobs.push(top);
    out.text_offset.push(offset);
    offset += text.length;
  }
  return out;
}
