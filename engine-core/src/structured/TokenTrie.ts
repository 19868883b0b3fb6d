/** What a {@link TokenTrie} needs from a tokenizer (the GGUF `Tokenizer` satisfies it). */
export interface ConstraintTokenizer {
  readonly vocabSize: number;
  tokenBytes(id: number): Uint8Array;
  isSpecial(id: number): boolean;
  isEog(id: number): boolean;
}

/**
 * Byte-prefix tree over a vocabulary (special tokens left out), flattened into typed arrays so a
 * constrained-decoding step walks it with the automaton once: node `i`'s children are
 * `childByte/childNode[childStart[i] .. childStart[i + 1])`, and the tokens whose bytes end at node
 * `i` are `tokenIds[tokenStart[i] .. tokenStart[i + 1])`. Node 0 is the root (the empty prefix).
 */
export class TokenTrie {
  readonly vocabSize: number;
  readonly childStart: Int32Array;
  readonly childByte: Uint8Array;
  readonly childNode: Int32Array;
  readonly tokenStart: Int32Array;
  readonly tokenIds: Int32Array;
  /** End-of-generation token ids (allowed when the document may end). */
  readonly eogIds: readonly number[];
  readonly numNodes: number;

  private constructor(init: Omit<TokenTrie, 'numNodes'>) {
    this.vocabSize = init.vocabSize;
    this.childStart = init.childStart;
    this.childByte = init.childByte;
    this.childNode = init.childNode;
    this.tokenStart = init.tokenStart;
    this.tokenIds = init.tokenIds;
    this.eogIds = init.eogIds;
    this.numNodes = init.childStart.length - 1;
  }

  /** Builds (or returns the cached) trie of a tokenizer's vocabulary. */
  static of(tokenizer: ConstraintTokenizer): TokenTrie {
    let t = cache.get(tokenizer);
    if (t === undefined) {
      t = TokenTrie.build(tokenizer);
      cache.set(tokenizer, t);
    }
    return t;
  }

  /**
   * Builds in one pass over the token byte strings in sorted order: new nodes then come in
   * depth-first preorder and each node's children in byte order, so no per-node maps are needed.
   */
  private static build(tok: ConstraintTokenizer): TokenTrie {
    const eogIds: number[] = [];
    const ids: number[] = [];
    const bytesOf: Uint8Array[] = [];
    for (let id = 0; id < tok.vocabSize; id++) {
      if (tok.isEog(id)) {
        eogIds.push(id);
        continue;
      }
      if (tok.isSpecial(id)) continue;
      const bytes = tok.tokenBytes(id);
      if (bytes.length === 0) continue;
      ids.push(id);
      bytesOf[id] = bytes;
    }
    ids.sort((a, b) => compareBytes(bytesOf[a]!, bytesOf[b]!) || a - b);
    let cap = 1024;
    let parent = new Int32Array(cap);
    let byte = new Uint8Array(cap);
    let numNodes = 1;
    const path = [0];
    const ends: number[] = []; // token ids, in node order
    const endNode: number[] = [];
    let prev: Uint8Array = new Uint8Array(0);
    for (const id of ids) {
      const b = bytesOf[id]!;
      let l = 0;
      while (l < b.length && l < prev.length && b[l] === prev[l]) l++;
      path.length = l + 1;
      for (let d = l; d < b.length; d++) {
        if (numNodes === cap) {
          cap *= 2;
          const p2 = new Int32Array(cap);
          p2.set(parent);
          parent = p2;
          const b2 = new Uint8Array(cap);
          b2.set(byte);
          byte = b2;
        }
        parent[numNodes] = path[d]!;
        byte[numNodes] = b[d]!;
        path.push(numNodes++);
      }
      ends.push(id);
      endNode.push(path[b.length]!);
      prev = b;
    }
    const childStart = new Int32Array(numNodes + 1);
    for (let n = 1; n < numNodes; n++) childStart[parent[n]! + 1]!++;
    for (let n = 0; n < numNodes; n++) childStart[n + 1]! += childStart[n]!;
    const fill = childStart.slice(0, numNodes);
    const childByte = new Uint8Array(numNodes - 1);
    const childNode = new Int32Array(numNodes - 1);
    for (let n = 1; n < numNodes; n++) {
      const at = fill[parent[n]!]!++;
      childByte[at] = byte[n]!;
      childNode[at] = n;
    }
    const tokenStart = new Int32Array(numNodes + 1);
    for (const n of endNode) tokenStart[n + 1]!++;
    for (let n = 0; n < numNodes; n++) tokenStart[n + 1]! += tokenStart[n]!;
    return new TokenTrie({
      vocabSize: tok.vocabSize,
      childStart,
      childByte,
      childNode,
      tokenStart,
      tokenIds: Int32Array.from(ends),
      eogIds,
    });
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const cache = new WeakMap<ConstraintTokenizer, TokenTrie>();
