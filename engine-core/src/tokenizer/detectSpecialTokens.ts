import { TOKEN_ATTR } from './TOKEN_ATTR.ts';

// Token texts llama.cpp recognises when a GGUF does not name them (llama_vocab::load). Kept as data so
// that our special-token splitting and end-of-generation set agree with llama.cpp's.
const EOT_TEXTS = [
  '<|eot_id|>',
  '<|im_end|>',
  '<|end|>',
  '<end_of_turn>',
  '<|endoftext|>',
  '<|end_of_text|>',
  '<EOT>',
  '_<EOT>',
  '[EOT]',
  '<｜end▁of▁sentence｜>',
  '<end_of_utterance>',
];
const EOM_TEXTS = ['<|eom_id|>'];
const FIM_TEXTS: Record<'pre' | 'suf' | 'mid' | 'pad' | 'rep' | 'sep', string[]> = {
  pre: [
    '<|fim_prefix|>',
    '<fim-prefix>',
    '<fim_prefix>',
    '<｜fim▁begin｜>',
    '<PRE>',
    '▁<PRE>',
    '<|code_prefix|>',
    '<|prefix|>',
  ],
  suf: [
    '<|fim_suffix|>',
    '<fim-suffix>',
    '<fim_suffix>',
    '<｜fim▁hole｜>',
    '<SUF>',
    '▁<SUF>',
    '<|code_suffix|>',
    '<|suffix|>',
  ],
  mid: [
    '<|fim_middle|>',
    '<fim-middle>',
    '<fim_middle>',
    '<｜fim▁end｜>',
    '<MID>',
    '▁<MID>',
    '<|code_middle|>',
    '<|middle|>',
  ],
  pad: ['<|fim_pad|>', '<fim-pad>', '<fim_pad>', '<PAD>', '[PAD]'],
  rep: ['<|fim_repo|>', '<|repo_name|>', '<fim-repo>', '<REPO>', '<reponame>'],
  sep: ['<|file_sep|>'],
};
const EOG_TEXTS = new Set([
  '<|eot_id|>',
  '<|im_end|>',
  '<|end|>',
  '<|return|>',
  '<|call|>',
  '<|flush|>',
  '<|calls|>',
  '<end_of_turn>',
  '<|endoftext|>',
  '</s>',
  '<|eom_id|>',
  '<EOT>',
  '_<EOT>',
  '[EOT]',
  '[EOS]',
  '<|end_of_text|>',
  '<end_of_utterance>',
  '<eos>',
  '<turn|>',
  '<|tool_response>',
  '<｜end▁of▁sentence｜>',
  '[e~[',
]);
const ALWAYS_RENDERED = ['<|channel|>', '<|message|>', '<|start|>', '<|constrain|>'];

/** Result of {@link detectSpecialTokens}. */
export interface DetectedSpecialTokens {
  eotId: number;
  eomId: number;
  eogIds: Set<number>;
}

/**
 * Finds EOT/EOM/FIM tokens by their text when the GGUF does not name them, marks control-looking
 * tokens as CONTROL (mutating `attrs`), and builds the end-of-generation set, as llama.cpp does.
 * @example detectSpecialTokens(tokens, tokenToId, attrs, { eotId: -1, eomId: -1, eosId: 2 }).eogIds
 */
export function detectSpecialTokens(
  tokens: string[],
  tokenToId: Map<string, number>,
  attrs: Uint16Array,
  given: { eotId: number; eomId: number; eosId: number },
): DetectedSpecialTokens {
  const markControl = (id: number) => {
    attrs[id] = attrs[id]! | TOKEN_ATTR.CONTROL;
  };
  // llama.cpp takes whichever candidate its hash map yields first; we take the first in list order,
  // which puts the chat-turn terminators (<|eot_id|>, <|im_end|>, <|end|>) before <|endoftext|>.
  const find = (texts: readonly string[]): number => {
    for (const t of texts) {
      const id = tokenToId.get(t);
      if (id !== undefined) {
        markControl(id);
        return id;
      }
    }
    return -1;
  };
  const eotId = given.eotId >= 0 ? given.eotId : find(EOT_TEXTS);
  const eomId = given.eomId >= 0 ? given.eomId : find(EOM_TEXTS);
  const fim = {
    pre: find(FIM_TEXTS.pre),
    suf: find(FIM_TEXTS.suf),
    mid: find(FIM_TEXTS.mid),
    pad: find(FIM_TEXTS.pad),
    rep: find(FIM_TEXTS.rep),
    sep: find(FIM_TEXTS.sep),
  };
  // Control tokens whose text says "unused" are unused.
  for (let i = 0; i < tokens.length; i++) {
    if (attrs[i]! & TOKEN_ATTR.CONTROL && tokens[i]!.includes('unused')) attrs[i] = attrs[i]! | TOKEN_ATTR.UNUSED;
  }
  const eogIds = new Set<number>();
  for (const id of [fim.pad, fim.rep, fim.sep]) if (id >= 0) eogIds.add(id);
  for (const text of EOG_TEXTS) {
    const id = tokenToId.get(text);
    if (id === undefined) continue;
    eogIds.add(id);
    markControl(id);
  }
  for (const text of ALWAYS_RENDERED) {
    const id = tokenToId.get(text);
    if (id !== undefined) attrs[id] = TOKEN_ATTR.USER_DEFINED;
  }
  for (const id of [given.eosId, eotId, eomId]) if (id >= 0) eogIds.add(id);
  // Gemma 4 and PaddleOCR: with <|tool_response>, </s> is an ordinary token, not an end of generation.
  const toolResponse = tokenToId.get('<|tool_response>');
  const closeS = tokenToId.get('</s>');
  if (toolResponse !== undefined && closeS !== undefined && eogIds.has(toolResponse) && eogIds.has(closeS)) {
    eogIds.delete(closeS);
    attrs[closeS] = TOKEN_ATTR.NORMAL;
  }
  return { eotId, eomId, eogIds };
}
