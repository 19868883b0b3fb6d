/**
 * Word splitters of byte-level BPE vocabularies. Each emulates llama.cpp's hand-written matcher for
 * the named regex (unicode.cpp `unicode_regex_split_custom_*`), so the splits agree with llama.cpp
 * exactly, including its reading of `\s+(?!\S)` at the end of a fragment:
 * - `gpt2`:   `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
 * - `llama3`: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
 * - `qwen2`:  as llama3 with `\p{N}` (one digit per word)
 * - `qwen35`: as qwen2 with marks in letter runs: `[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+`, ` ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*`
 * - `starcoder`: every `\p{N}` alone, then gpt2 inside the rest
 * - `regex`: a list of regexes applied in turn (`regexes`), as llama.cpp's general splitter does
 *   (see `regexSplit.ts`); the gpt2 regex in such a list uses the gpt2 matcher
 */
export type PreTokenizerKind = 'gpt2' | 'llama3' | 'qwen2' | 'qwen35' | 'starcoder' | 'regex';

/** What a `tokenizer.ggml.pre` name means (llama.cpp's pre-type table, the families we support). */
export interface PreTokenizerSpec {
  kind: PreTokenizerKind;
  ignoreMerges: boolean;
  addBos: boolean;
  /** For `regex`: llama.cpp's regex list for this pre-tokenizer, applied in order. */
  regexes?: readonly string[];
  /** The vocabulary has no default BOS id (chatglm: only an explicit `bos_token_id` counts). */
  noDefaultBos?: boolean;
  /**
   * SentencePiece-style BPE (gemma4): spaces become `▁`, merges run on raw UTF-8 characters (no
   * GPT-2 byte mapping) and unknown bytes fall back to `<0xXX>` tokens.
   */
  rawUtf8?: boolean;
}

/** The gpt2 pattern; inside a regex list it selects the hand-written gpt2 matcher, as in llama.cpp. */
export const GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
/** Patterns llama.cpp recognises by their exact text and runs with a hand-written matcher. */
export const CUSTOM_REGEXES: Record<string, PreTokenizerKind> = {
  [GPT2_REGEX]: 'gpt2',
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+":
    'llama3',
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+":
    'llama3',
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+":
    'qwen2',
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+":
    'qwen35',
};

const PRE_NAMES: Record<string, PreTokenizerSpec> = {};
const add = (names: string[], spec: PreTokenizerSpec) => {
  for (const n of names) PRE_NAMES[n] = spec;
};
add(['llama3', 'llama-v3', 'llama-bpe', 'falcon3', 'falcon-h1', 'pixtral', 'midm-2.0', 'lfm2', 'jina-v5-nano'], {
  kind: 'llama3',
  ignoreMerges: true,
  addBos: true,
});
add(['dbrx', 'smaug-bpe'], { kind: 'llama3', ignoreMerges: false, addBos: false });
add(
  [
    'gpt-2',
    'phi-2',
    'jina-es',
    'jina-de',
    'gigachat',
    'jina-v2-es',
    'jina-v2-de',
    'a.x-4.0',
    'mellum',
    'modern-bert',
    'jina-v1-en',
    'jina-v2-code',
    'roberta-bpe',
    'exaone4',
    'mpt',
    'olmo',
    'jais',
    'trillion',
    'granite-docling',
  ],
  { kind: 'gpt2', ignoreMerges: false, addBos: false },
);
add(['qwen2', 'deepseek-r1-qwen', 'kormo', 'f2llmv2', 'megrez', 'stablelm2', 'hunyuan', 'solar-open', 'grok-2'], {
  kind: 'qwen2',
  ignoreMerges: false,
  addBos: false,
});
add(['qwen35'], { kind: 'qwen35', ignoreMerges: false, addBos: false });
add(['starcoder', 'refact', 'command-r', 'smollm', 'codeshell', 'exaone', 'minerva-7b', 'mellum2'], {
  kind: 'starcoder',
  ignoreMerges: false,
  addBos: false,
});

// Regex lists of llama.cpp's llm_tokenizer_bpe for pre-tokenizers without a hand-written matcher
// (taken from the models' tokenizer.json, as llama.cpp adapted them). A missing `pre` means 'default'.
const regexSpec = (
  regexes: string[],
  flags: { ignoreMerges?: boolean; addBos?: boolean; noDefaultBos?: boolean; rawUtf8?: boolean } = {},
): PreTokenizerSpec => ({ kind: 'regex', ignoreMerges: false, addBos: false, regexes, ...flags });
// gemma4 (also llama.cpp's pre for granite-embed-multi-311m) and sarvam-moe: split at newline runs only.
add(['gemma4', 'granite-embed-multi-311m', 'sarvam-moe'], regexSpec(['[^\\n]+|[\\n]+'], { rawUtf8: true }));
add(['default', ''], regexSpec(['[\\p{P}\\$\\+<=>\\^~\\|]+', GPT2_REGEX, '\\p{N}+', '[0-9][0-9][0-9]']));
add(['falcon'], regexSpec(['[\\p{P}\\$\\+<=>\\^~\\|`]+', GPT2_REGEX, '[0-9][0-9][0-9]']));
add(['deepseek-coder'], regexSpec(['[\r\n]', '\\s?\\p{L}+', '\\s?\\p{P}+', '[一-龥ࠀ-一가-퟿]+', '\\p{N}']));
add(
  ['deepseek-llm'],
  regexSpec([
    '[\r\n]',
    '\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+',
    '\\s?[!-/:-~！-／：-～‘-‟　-。]+',
    '\\s+$',
    '[一-龥ࠀ-一가-퟿]+',
    '\\p{N}+',
  ]),
);

add(
  ['deepseek-v3', 'hunyuan-dense', 'hy_v4', 'joyai-llm'],
  regexSpec([
    '\\p{N}{1,3}',
    '[一-龥぀-ゟ゠-ヿ]+',
    '[!"#$%&\'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+',
  ]),
);
add(
  ['spark2_5'],
  regexSpec([
    '\\p{N}{1,3}',
    '[一-龥぀-ゟ゠-ヿ]+',
    '[!"#$%&\'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+|[\r\n]|\\s+(?!\\S)|\\s+',
    '\\p{N}',
  ]),
);
add(
  ['youtu'],
  regexSpec(
    [
      '[가-힣ㄱ-ㆎ]+|[！…“”‘’—：；，、-〿︰-﹏]+|[ㄅ-ㄯ]+|[一-龥぀-ゟ゠-ヿ]+',
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    ],
    { ignoreMerges: true },
  ),
);
add(
  ['jais-2'],
  regexSpec([
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s{512}(?!\\S)|\\s{256}(?!\\S)|\\s{128}(?!\\S)|\\s{64}(?!\\S)|\\s{32}(?!\\S)|\\s{16}(?!\\S)|\\s{8}(?!\\S)|\\s{4}(?!\\S)|\\s{1,2}(?!\\S)|\\s{1}",
  ]),
);
add(
  ['glm4', 'chatglm-bpe'],
  regexSpec(
    [
      "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    ],
    { noDefaultBos: true },
  ),
);
add(['viking'], regexSpec([' ?[^(\\s|.,!?…。，、।۔،)]+', '\\p{N}']));
add(['poro-chat', 'bloom', 'gpt3-finnish'], regexSpec([' ?[^(\\s|.,!?…。，、।۔،)]+']));
add(
  ['tekken'],
  regexSpec(
    [
      '[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+',
    ],
    { ignoreMerges: true, addBos: true },
  ),
);
add(
  ['exaone-moe'],
  regexSpec([
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?(?:\\p{L}\\p{M}*(?: \\p{L}\\p{M}*)*)+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]?|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+",
  ]),
);
add(
  ['gpt-4o', 'llama4', 'kanana2', 'talkie', 'minimax-m2'],
  regexSpec([
    "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  ]),
);
add(
  ['granite-embed-multi-97m'],
  regexSpec(
    [
      "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}\\p{M}])([^a-z]))*((?=[\\p{L}\\p{M}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}\\p{M}])([^a-z]))+((?=[\\p{L}\\p{M}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    ],
    { ignoreMerges: true },
  ),
);
add(['superbpe'], regexSpec(['\\p{N}+', '(?=(\\d{3})+(?!\\d))']));
add(
  ['bailingmoe', 'bailingmoe2', 'llada-moe'],
  regexSpec([
    "'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+",
  ]),
);
add(
  ['seed-coder'],
  regexSpec([
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1}| ?[^\\s\\p{L}\\p{N}\\r\\n]+|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  ]),
);
add(
  ['ufakzeka'],
  regexSpec(['[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+']),
);
add(
  ['laguna'],
  regexSpec([
    '[^\\n]+|[\\n]+',
    "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  ]),
);
add(
  ['minicpm5'],
  regexSpec(
    [
      '\\p{N}{1,3}',
      "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}+| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    ],
    { ignoreMerges: true },
  ),
);
add(
  ['chameleon'],
  regexSpec(
    [
      '<sentinel:[0-9]+>',
      '(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z',
      '([\\t\\n]|    |  )',
      '\\p{N}',
      '[\\p{P}!-/:-@\\[-`{-~]',
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)",
    ],
    { addBos: true },
  ),
);

add(
  ['afmoe'],
  regexSpec([
    '\\p{AFMoE_digits}',
    '[一-鿿㐀-䶿豈-﫿぀-ゟ゠-ヿ･-ﾟ⼀-⿟เ-๿຀-໿ក-៿က-႟ꩠ-ꩿꧠ-꧿가-힯ᄀ-ᇿ]+',
    '[!"#$%&\'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+',
  ]),
);
add(
  ['tiny_aya', 'cohere2moe'],
  regexSpec([
    '\\d{1,3}(?=(?:\\d{3})*\\b)',
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  ]),
);

/**
 * Every `tokenizer.ggml.pre` value we support ('' stands for a missing key).
 * @example supportedPreNames().includes('llama-bpe') // true
 */
export function supportedPreNames(): string[] {
  return Object.keys(PRE_NAMES);
}

/**
 * The splitter for a `tokenizer.ggml.pre` value, or undefined when unsupported.
 * @example preTokenizerFor('qwen2')?.kind === 'qwen2'
 */
export function preTokenizerFor(pre: string): PreTokenizerSpec | undefined {
  return Object.hasOwn(PRE_NAMES, pre) ? PRE_NAMES[pre] : undefined;
}
