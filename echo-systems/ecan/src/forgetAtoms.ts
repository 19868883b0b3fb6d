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
  const candidates = store.handles().filter((h) => !isProtected(h));
  candidates.sort((a, b) => store.getLti(a) - store.getLti(b) || a - b);
  const removed: Handle[] = [];
  for (const h of candidates) {
    if (store.size <= p.forgetMaxAtoms) break;
    if (!store.has(h) || closureProtected(h)) continue;
    removed.push(...store.remove(h, { recursive: true }));
  }
  return removed;
}
