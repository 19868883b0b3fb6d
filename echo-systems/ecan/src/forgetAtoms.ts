import type { Handle } from '@dte/hypergraph';
import type { AttentionBank } from './AttentionBank.ts';
import type { EcanParams } from './EcanParams.ts';

/**
 * Forgetting (OpenCog `ForgettingAgent`): when the store holds more than
 * `forgetMaxAtoms + forgetSizeSpread` atoms, removes the lowest-LTI atoms until
 * it holds `forgetMaxAtoms`. Protected: atoms with VLTI > 0, atoms in `focus`,
 * and atoms whose removal would take a protected link with them (Hebbian links
 * do not protect their endpoints; they go with them). Removed STI/LTI returns to
 * the bank. Returns the removed handles.
 */
export function forgetAtoms(bank: AttentionBank, focus: ReadonlySet<Handle>, p: EcanParams): Handle[] {
  const store = bank.store;
  if (store.size <= p.forgetMaxAtoms + p.forgetSizeSpread) return [];
  const heb = store.types.id('HebbianLink');
  const isProtected = (h: Handle) => focus.has(h) || (store.getVlti(h) > 0 && !store.types.isA(store.typeIdOf(h), heb));
  const closureProtected = (h: Handle): boolean => {
    if (isProtected(h)) return true;
    for (const l of store.incomingOf(h)) if (closureProtected(l)) return true;
    return false;
  };
  const candidates: Handle[] = [];
  for (let h = 1; h < store.nextHandle; h++) if (store.has(h) && !isProtected(h)) candidates.push(h);
  // Only the lowest-LTI few are needed: find an LTI threshold with a native numeric sort, then
  // order just the atoms at or below it (all of them when the margin runs out).
  const need = store.size - p.forgetMaxAtoms;
  const ltis = new Float64Array(candidates.length);
  for (let i = 0; i < candidates.length; i++) ltis[i] = store.getLti(candidates[i]!);
  const sorted = ltis.slice().sort();
  const cut = Math.min(sorted.length - 1, 2 * need + 16);
  const threshold = cut >= 0 ? sorted[cut]! : Number.POSITIVE_INFINITY;
  // Order (lti, handle): below the threshold sorted; at it, already in handle order; above it, sorted if needed.
  const byLti = (a: Handle, b: Handle) => store.getLti(a) - store.getLti(b) || a - b;
  const below = candidates.filter((_h, i) => ltis[i]! < threshold).sort(byLti);
  const at = candidates.filter((_h, i) => ltis[i]! === threshold);

  const removed: Handle[] = [];
  const sweep = (list: readonly Handle[]) => {
    for (const h of list) {
      if (store.size <= p.forgetMaxAtoms) return;
      if (!store.has(h) || closureProtected(h)) continue;
      removed.push(...store.remove(h, { recursive: true }));
    }
  };
  sweep(below);
  if (store.size > p.forgetMaxAtoms) sweep(at);
  if (store.size > p.forgetMaxAtoms) sweep(candidates.filter((_h, i) => ltis[i]! > threshold).sort(byLti));
  return removed;
}
