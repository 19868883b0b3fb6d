import { EngineError } from '../EngineError.ts';
import type { GgufValue } from '../gguf/GgufFile.ts';
import { detectSpecialTokens } from './detectSpecialTokens.ts';
import { type PreTokenizerKind, preTokenizerFor } from './preTokenizerFor.ts';
import { SPECIAL_ATTRS, TOKEN_ATTR, tokenTypeToAttr } from './TOKEN_ATTR.ts';

/** Everything a tokenizer needs from `tokenizer.ggml.*` metadata, validated and indexed. */
export interface TokenizerVocab {
  /** `spm`: SentencePiece-BPE (`tokenizer.ggml.model = llama`); `bpe`: byte-level BPE (`gpt2`). */
  readonly model: 'spm' | 'bpe';
  /** `tokenizer.ggml.pre` as written ('' when absent). */
  readonly pre: string;
  /** Word splitter of a byte-level BPE vocabulary (undefined for SPM). */
  readonly preTokenizer: PreTokenizerKind | undefined;
  /** For the `regex` pre-tokenizer: llama.cpp's regex list. */
  readonly preRegexes: readonly string[] | undefined;
  readonly tokens: string[];
  readonly scores: Float32Array;
  /** `TOKEN_ATTR` bits per token (after llama.cpp's text-based fix-ups). */
  readonly attrs: Uint16Array;
  /** Text → id; on duplicate texts the last id wins, as in llama.cpp. */
  readonly tokenToId: Map<string, number>;
  /** `"left right"` → merge rank (byte-level BPE only; first occurrence wins). */
  readonly mergeRanks: Map<string, number>;
  /** Special ids, -1 when the vocabulary has none. */
  readonly bosId: number;
  readonly eosId: number;
  readonly eotId: number;
  readonly eomId: number;
  readonly unkId: number;
  readonly padId: number;
  readonly addBos: boolean;
  readonly addEos: boolean;
  readonly addSpacePrefix: boolean;
  /** A whole pre-tokenized word that is itself a token skips the merges (llama3). */
  readonly ignoreMerges: boolean;
  /** BPE on raw UTF-8 with spaces escaped to `▁` and `<0xXX>` byte fallback (gemma4), not GPT-2 bytes. */
  readonly rawUtf8: boolean;
  /** End-of-generation ids (eos, eot, eom and llama.cpp's text-detected ones). */
  readonly eogIds: Set<number>;
  /** Control, user-defined and unknown tokens, longest (UTF-8 bytes) first: split out of text. */
  readonly specialIds: number[];
}

const encoder = new TextEncoder();

function bad(reason: string): EngineError {
  return new EngineError('DTE_ERR_TOKENIZER_BAD_METADATA', `Tokenizer.fromGguf: ${reason}`);
}

function optionalId(metadata: Map<string, GgufValue>, key: string, fallback: number, nTokens: number): number {
  const v = metadata.get(key);
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(`${key} must be an integer`);
  // llama.cpp ignores out-of-range ids (e.g. 0xFFFFFFFF meaning "none") and keeps the default.
  return v >= 0 && v < nTokens ? v : fallback;
}

function optionalBool(metadata: Map<string, GgufValue>, key: string, fallback: boolean): boolean {
  const v = metadata.get(key);
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw bad(`${key} must be a boolean`);
  return v;
}

/**
 * Reads and validates `tokenizer.ggml.*` metadata the way llama.cpp's `llama_vocab::load` does:
 * model defaults (SPM: bos 1, eos 2, unk 0, add_bos; BPE: bos/eos 11), per-`pre` flags, token
 * attributes from `token_type`, text-detected EOT/EOG/FIM tokens and the special-token list.
 * @example const vocab = readTokenizerVocab(readGguf('model.gguf').metadata)
 */
export function readTokenizerVocab(metadata: Map<string, GgufValue>): TokenizerVocab {
  const modelName = metadata.get('tokenizer.ggml.model');
  if (typeof modelName !== 'string') throw bad('tokenizer.ggml.model is missing or not a string');
  let model: 'spm' | 'bpe';
  if (modelName === 'llama') model = 'spm';
  else if (modelName === 'gpt2' || modelName === 'gemma4') model = 'bpe';
  else {
    throw new EngineError(
      'DTE_ERR_TOKENIZER_UNSUPPORTED',
      `Tokenizer.fromGguf: tokenizer model '${modelName}' is not supported (llama, gpt2, gemma4 are)`,
    );
  }
  // llama.cpp forces the gemma4 pre-tokenizer for the gemma4 tokenizer model.
  const preRaw = modelName === 'gemma4' ? 'gemma4' : (metadata.get('tokenizer.ggml.pre') ?? '');
  if (typeof preRaw !== 'string') throw bad('tokenizer.ggml.pre must be a string');

  const tokensRaw = metadata.get('tokenizer.ggml.tokens');
  if (!Array.isArray(tokensRaw) || tokensRaw.some((t) => typeof t !== 'string')) {
    throw bad('tokenizer.ggml.tokens is missing or not an array of strings');
  }
  const nTokens = tokensRaw.length;
  if (nTokens === 0) throw bad('tokenizer.ggml.tokens is empty');
  const tokens = (tokensRaw as string[]).map((t, i) => (t === '' ? `[EMPTY_${i}]` : t));

  const scores = new Float32Array(nTokens);
  const scoresRaw = metadata.get('tokenizer.ggml.scores');
  if (scoresRaw !== undefined) {
    if (!(scoresRaw instanceof Float32Array || scoresRaw instanceof Int32Array)) {
      throw bad('tokenizer.ggml.scores must be an array of float32 or int32');
    }
    if (scoresRaw.length < nTokens) throw bad(`tokenizer.ggml.scores has ${scoresRaw.length} < ${nTokens} entries`);
    scores.set(scoresRaw.subarray(0, nTokens));
  }

  const attrs = new Uint16Array(nTokens).fill(TOKEN_ATTR.NORMAL);
  const typesRaw = metadata.get('tokenizer.ggml.token_type');
  if (typesRaw !== undefined) {
    if (!(typesRaw instanceof Int32Array)) throw bad('tokenizer.ggml.token_type must be an array of int32');
    if (typesRaw.length < nTokens) throw bad(`tokenizer.ggml.token_type has ${typesRaw.length} < ${nTokens} entries`);
    for (let i = 0; i < nTokens; i++) attrs[i] = tokenTypeToAttr(typesRaw[i]!);
  }

  const tokenToId = new Map<string, number>();
  for (let i = 0; i < nTokens; i++) tokenToId.set(tokens[i]!, i);

  const mergeRanks = new Map<string, number>();
  let preTokenizer: PreTokenizerKind | undefined;
  let preRegexes: readonly string[] | undefined;
  let addBos = false;
  let addSpacePrefix = false;
  let ignoreMerges = false;
  let rawUtf8 = false;
  let bosDefault: number;
  let eosDefault: number;
  let unkDefault: number;
  if (model === 'bpe') {
    const merges = metadata.get('tokenizer.ggml.merges');
    if (!Array.isArray(merges) || merges.some((m) => typeof m !== 'string')) {
      throw bad('tokenizer.ggml.merges is missing or not an array of strings');
    }
    (merges as string[]).forEach((m, rank) => {
      if (!mergeRanks.has(m)) mergeRanks.set(m, rank);
    });
    const spec = preTokenizerFor(preRaw);
    if (!spec) {
      throw new EngineError(
        'DTE_ERR_TOKENIZER_UNSUPPORTED',
        `Tokenizer.fromGguf: pre-tokenizer '${preRaw}' is not supported (see preTokenizerFor)`,
      );
    }
    preTokenizer = spec.kind;
    preRegexes = spec.regexes;
    ignoreMerges = spec.ignoreMerges;
    rawUtf8 = spec.rawUtf8 ?? false;
    addBos = spec.addBos;
    const gemma4Model = modelName === 'gemma4';
    bosDefault = spec.noDefaultBos || gemma4Model ? -1 : 11;
    eosDefault = gemma4Model ? -1 : 11;
    unkDefault = -1;
  } else {
    addBos = true;
    addSpacePrefix = true;
    bosDefault = 1;
    eosDefault = 2;
    unkDefault = 0;
  }
  addSpacePrefix = optionalBool(metadata, 'tokenizer.ggml.add_space_prefix', addSpacePrefix);
  const inRange = (id: number) => (id < nTokens ? id : -1);
  const bosId = optionalId(metadata, 'tokenizer.ggml.bos_token_id', inRange(bosDefault), nTokens);
  const eosId = optionalId(metadata, 'tokenizer.ggml.eos_token_id', inRange(eosDefault), nTokens);
  const unkId = optionalId(metadata, 'tokenizer.ggml.unknown_token_id', inRange(unkDefault), nTokens);
  const padId = optionalId(metadata, 'tokenizer.ggml.padding_token_id', -1, nTokens);
  addBos = optionalBool(metadata, 'tokenizer.ggml.add_bos_token', addBos);
  // llama.cpp always adds BOS for the gemma4 pre-tokenizer (Gemma 4 GGUFs may say otherwise).
  if (model === 'bpe' && (preRaw === 'gemma4' || preRaw === 'granite-embed-multi-311m')) addBos = true;
  const addEos = optionalBool(metadata, 'tokenizer.ggml.add_eos_token', false);
  if (addBos && bosId < 0) throw bad('add_bos_token is set but the vocabulary has no BOS token');
  if (addEos && eosId < 0) throw bad('add_eos_token is set but the vocabulary has no EOS token');

  const generalName = metadata.get('general.name');
  const detected = detectSpecialTokens(tokens, tokenToId, attrs, {
    eotId: optionalId(metadata, 'tokenizer.ggml.eot_token_id', -1, nTokens),
    eomId: optionalId(metadata, 'tokenizer.ggml.eom_token_id', -1, nTokens),
    eosId,
  });

  const specialIds: number[] = [];
  for (let i = 0; i < nTokens; i++) if (attrs[i]! & SPECIAL_ATTRS) specialIds.push(i);
  const byteLen = (id: number) => encoder.encode(tokens[id]!).length;
  const lengths = new Map(specialIds.map((id) => [id, byteLen(id)]));
  specialIds.sort((a, b) => lengths.get(b)! - lengths.get(a)! || a - b);

  // llama.cpp's per-model attribute fix-up for Phi-3: special tokens swallow the whitespace after them.
  if (typeof generalName === 'string' && /phi-?3/.test(generalName.toLowerCase())) {
    for (const id of specialIds) attrs[id]! |= TOKEN_ATTR.RSTRIP;
    const set = (text: string, on: boolean) => {
      const id = tokenToId.get(text);
      if (id !== undefined) attrs[id] = on ? attrs[id]! | TOKEN_ATTR.RSTRIP : attrs[id]! & ~TOKEN_ATTR.RSTRIP;
    };
    set('</s>', true);
    for (const t of ['<unk>', '<s>', '<|endoftext|>']) set(t, false);
  }

  return {
    model,
    pre: preRaw,
    preTokenizer,
    preRegexes,
    tokens,
    scores,
    attrs,
    tokenToId,
    mergeRanks,
    bosId,
    eosId,
    eotId: detected.eotId,
    eomId: detected.eomId,
    unkId,
    padId,
    addBos,
    addEos,
    addSpacePrefix,
    ignoreMerges,
    rawUtf8,
    eogIds: detected.eogIds,
    specialIds,
  };
}
