/**
 * A binary min-heap of candidate merges ordered by (`key`, `left`): BPE pushes the merge rank,
 * SPM the negated token score, so both pop like llama.cpp's priority queues (ties: leftmost first).
 * Entries live in growable typed arrays and sift with a moving hole, so the hot loop allocates nothing.
 * @example const h = new BigramHeap(); h.push(3, 0, 1, 2); h.pop(); h.left === 0
 */
export class BigramHeap {
  private keys = new Float64Array(64);
  private lefts = new Int32Array(64);
  private rights = new Int32Array(64);
  private sizes = new Int32Array(64);
  private n = 0;
  /** Fields of the entry last returned by {@link pop}. */
  left = -1;
  right = -1;
  size = 0;

  get length(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const k = new Float64Array(cap);
    k.set(this.keys);
    this.keys = k;
    const l = new Int32Array(cap);
    l.set(this.lefts);
    this.lefts = l;
    const r = new Int32Array(cap);
    r.set(this.rights);
    this.rights = r;
    const s = new Int32Array(cap);
    s.set(this.sizes);
    this.sizes = s;
  }

  push(key: number, left: number, right: number, size: number): void {
    if (this.n === this.keys.length) this.grow();
    const { keys, lefts, rights, sizes } = this;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && lefts[parent]! <= left)) break;
      keys[i] = pk;
      lefts[i] = lefts[parent]!;
      rights[i] = rights[parent]!;
      sizes[i] = sizes[parent]!;
      i = parent;
    }
    keys[i] = key;
    lefts[i] = left;
    rights[i] = right;
    sizes[i] = size;
  }

  /** Removes the smallest entry into `left`/`right`/`size`; false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const { keys, lefts, rights, sizes } = this;
    this.left = lefts[0]!;
    this.right = rights[0]!;
    this.size = sizes[0]!;
    const last = --this.n;
    if (last === 0) return true;
    const key = keys[last]!;
    const left = lefts[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last && (keys[r]! < keys[c]! || (keys[r] === keys[c] && lefts[r]! < lefts[c]!))) c = r;
      const ck = keys[c]!;
      if (key < ck || (key === ck && left <= lefts[c]!)) break;
      keys[i] = ck;
      lefts[i] = lefts[c]!;
      rights[i] = rights[c]!;
      sizes[i] = sizes[c]!;
      i = c;
    }
    keys[i] = key;
    lefts[i] = left;
    rights[i] = rights[last]!;
    sizes[i] = sizes[last]!;
    return true;
  }
}
