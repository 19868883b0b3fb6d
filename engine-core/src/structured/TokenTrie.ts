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

  private static build(tok: ConstraintTokenizer): TokenTrie {
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    const eogIds: number[] = [];
    for (let id = 0; id < tok.vocabSize; id++) {
      if (tok.isEog(id)) {
        eogIds.push(id);
        continue;
      }
      if (tok.isSpecial(id)) continue;
      const bytes = tok.tokenBytes(id);
      if (bytes.length === 0) continue;
      let node = 0;
      for (const b of bytes) {
        let next = children[node]!.get(b);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          ends.push([]);
          children[node]!.set(b, next);
        }
        node = next;
      }
      ends[node]!.push(id);
    }
    // Renumber in DFS order (children sorted by byte) so a walk touches memory in order.
    const order: number[] = [];
    const stack = [0];
    while (stack.length > 0) {
      const n = stack.pop()!;
      order.push(n);
      const kids = [...children[n]!.entries()].sort((a, b) => b[0] - a[0]);
      for (const [, c] of kids) stack.push(c);
    }
    const newId = new Int32Array(children.length);
    order.forEach((old, i) => {
      newId[old] = i;
    });
    const numNodes = order.length;
    const childStart = new Int32Array(numNodes + 1);
    const tokenStart = new Int32Array(numNodes + 1);
    const childByte = new Uint8Array(numNodes - 1);
    const childNode = new Int32Array(numNodes - 1);
    const tokenIds: number[] = [];
    let c = 0;
    order.forEach((old, i) => {
      childStart[i] = c;
      tokenStart[i] = tokenIds.length;
      const kids = [...children[old]!.entries()].sort((a, b) => a[0] - b[0]);
      for (const [b, child] of kids) {
        childByte[c] = b;
        childNode[c] = newId[child]!;
        c++;
      }
      tokenIds.push(...ends[old]!);
    });
    childStart[numNodes] = c;
    tokenStart[numNodes] = tokenIds.length;
    return new TokenTrie({
      vocabSize: tok.vocabSize,
      childStart,
      childByte,
      childNode,
      tokenStart,
      tokenIds: Int32Array.from(tokenIds),
      eogIds,
    });
  }
}

const cache = new WeakMap<ConstraintTokenizer, TokenTrie>();
