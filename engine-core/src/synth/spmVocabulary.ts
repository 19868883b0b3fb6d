import { GGUF_TYPE } from '../gguf/GGUF_TYPE.ts';
import type { GgufMetadataSpec } from '../gguf/writeGguf.ts';

const LETTERS = 'etaoinshrdlcumwfgypbvkjxqzETAOINSHRDLCUMWFGYPBVKJXQZ0123456789.,!?\'"-:;()';

/**
 * A SentencePiece ("llama") tokenizer vocabulary of exactly `nVocab` tokens, generated without any
 * input file: `<unk>`, `<s>`, `</s>`, the 256 byte-fallback tokens `<0xNN>`, then pieces (`▁`,
 * single characters, `▁`+character, then two- and three-character pieces) with decreasing scores,
 * so any text tokenizes (through bytes at worst). Used when no vocab GGUF is supplied.
 * @example const meta = spmVocabulary(512)
 */
export function spmVocabulary(nVocab: number): GgufMetadataSpec[] {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [2, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  const seen = new Set(tokens);
  const pieces = function* (): Generator<string> {
    yield '▁';
    for (const c of LETTERS) yield c;
    for (const c of LETTERS) yield `▁${c}`;
    for (const a of LETTERS) for (const b of LETTERS) yield a + b;
    for (const a of LETTERS) for (const b of LETTERS) yield `▁${a}${b}`;
    for (const a of LETTERS) for (const b of LETTERS) for (const c of LETTERS) yield a + b + c;
  };
  const gen = pieces();
  while (tokens.length < nVocab) {
    const next = gen.next();
    if (next.done) break;
    if (seen.has(next.value)) continue;
    seen.add(next.value);
    tokens.push(next.value);
    types.push(1);
  }
  tokens.length = Math.min(tokens.length, nVocab);
  types.length = tokens.length;
  const scores = new Float32Array(tokens.length);
  for (let i = 259; i < tokens.length; i++) scores[i] = -(i - 259);
  return [
    { key: 'tokenizer.ggml.model', type: GGUF_TYPE.STRING, value: 'llama' },
    { key: 'tokenizer.ggml.tokens', type: { array: GGUF_TYPE.STRING }, value: tokens },
    { key: 'tokenizer.ggml.scores', type: { array: GGUF_TYPE.FLOAT32 }, value: scores },
    { key: 'tokenizer.ggml.token_type', type: { array: GGUF_TYPE.INT32 }, value: Int32Array.from(types) },
    { key: 'tokenizer.ggml.bos_token_id', type: GGUF_TYPE.UINT32, value: 1 },
    { key: 'tokenizer.ggml.eos_token_id', type: GGUF_TYPE.UINT32, value: 2 },
    { key: 'tokenizer.ggml.unknown_token_id', type: GGUF_TYPE.UINT32, value: 0 },
    { key: 'tokenizer.ggml.add_bos_token', type: GGUF_TYPE.BOOL, value: true },
    { key: 'tokenizer.ggml.add_eos_token', type: GGUF_TYPE.BOOL, value: false },
  ];
}
