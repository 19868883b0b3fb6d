/**
 * A binary min-heap of candidate merges ordered by (`key`, `left`): BPE pushes the merge rank,
 * SPM the negated token score, so both pop like llama.cpp's priority queues (ties: leftmost first).
 * Parallel number arrays keep the hot loop free of object allocation.
 * @example const h = new BigramHeap(); h.push(3, 0, 1, 2); h.pop(); h.left === 0
 */
export class BigramHeap {
  private keys: number[] = [];
  private lefts: number[] = [];
  private rights: number[] = [];
  private sizes: number[] = [];
  /** Fields of the entry last returned by {@link pop}. */
  left = -1;
  right = -1;
  size = 0;

  get length(): number {
    return this.keys.length;
  }

  clear(): void {
    this.keys.length = 0;
    this.lefts.length = 0;
    this.rights.length = 0;
    this.sizes.length = 0;
  }

  private less(i: number, j: number): boolean {
    const a = this.keys[i]!;
    const b = this.keys[j]!;
    return a < b || (a === b && this.lefts[i]! < this.lefts[j]!);
  }

  private swap(i: number, j: number): void {
    const { keys, lefts, rights, sizes } = this;
    const k = keys[i]!;
    keys[i] = keys[j]!;
    keys[j] = k;
    const l = lefts[i]!;
    lefts[i] = lefts[j]!;
    lefts[j] = l;
    const r = rights[i]!;
    rights[i] = rights[j]!;
    rights[j] = r;
    const s = sizes[i]!;
    sizes[i] = sizes[j]!;
    sizes[j] = s;
  }

  push(key: number, left: number, right: number, size: number): void {
    let i = this.keys.length;
    this.keys.push(key);
    this.lefts.push(left);
    this.rights.push(right);
    this.sizes.push(size);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the smallest entry into `left`/`right`/`size`; false when empty. */
  pop(): boolean {
    const n = this.keys.length;
    if (n === 0) return false;
    this.left = this.lefts[0]!;
    this.right = this.rights[0]!;
    this.size = this.sizes[0]!;
    const last = n - 1;
    if (last > 0) this.swap(0, last);
    this.keys.pop();
    this.lefts.pop();
    this.rights.pop();
    this.sizes.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < last && this.less(l, m)) m = l;
      if (r < last && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return true;
  }
}
