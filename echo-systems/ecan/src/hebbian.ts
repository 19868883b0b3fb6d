import type { Handle, HypergraphStore } from '@dte/hypergraph';
import type { AttentionBank } from './AttentionBank.ts';
import type { EcanParams } from './EcanParams.ts';

/** STI normalised to [0, 1] between the store's min and max (OpenCog `getNormalisedZeroToOneSTI`, clipped). */
export function normalisedZeroToOne(sti: number, min: number, max: number): number {
  if (max === min) return 0;
  return Math.max(0, Math.min(1, (sti - min) / (max - min)));
}

/**
 * Hebbian target strength of a link from i to j (OpenCog `HebbianUpdatingAgent::targetConjunction`):
 * `((ni·nj) + (nj − ni)·|nj − ni| + 1) / 2` on zero-to-one normalised STI.
 */
export function targetConjunction(ni: number, nj: number): number {
  const conj = ni * nj + (nj - ni) * Math.abs(nj - ni);
  return (conj + 1) / 2;
}

/**
 * Updates the AsymmetricHebbianLinks leaving `source`: strength ← decay·target + (1 − decay)·old.
 * OpenCog writes the result through `TruthValue::merge` with confidence 0.1, which keeps the
 * old TV whenever its confidence is ≥ 0.1 (i.e. the update is a no-op after creation); we set the
 * strength directly and keep confidence at least 0.1. Returns the number of links updated.
 */
export function updateHebbianLinks(
  store: HypergraphStore,
  source: Handle,
  range: { readonly min: number; readonly max: number },
  p: EcanParams,
): number {
  let n = 0;
  const ns = normalisedZeroToOne(store.getSti(source), range.min, range.max);
  for (const l of store.incomingByType(source, 'AsymmetricHebbianLink')) {
    const o = store.outgoingOf(l);
    if (o[0] !== source || o.length !== 2) continue;
    const nt = normalisedZeroToOne(store.getSti(o[1]!), range.min, range.max);
    const tv = store.getTv(l);
    const tc = p.hebbianDecay * targetConjunction(ns, nt) + (1 - p.hebbianDecay) * tv.strength;
    store.setTv(l, tc, Math.max(tv.confidence, 0.1));
    n++;
  }
  return n;
}

function addHebbian(bank: AttentionBank, from: Handle, to: Handle): Handle {
  const store = bank.store;
  const l = store.addLink('AsymmetricHebbianLink', [from, to], { tv: { strength: 0.5, confidence: 0.1 } });
  bank.changeVlti(l, 1);
  return l;
}

/**
 * Links a newly focused atom to every other focus atom in both directions
 * (OpenCog `HebbianCreationAgent::run`), new links with TV (0.5, 0.1) and VLTI + 1;
 * adds round(created / localFarLinkRatio) links to random atoms outside the focus;
 * then trims the source's Hebbian links to `maxHebbianLinks`, weakest first
 * (OpenCog deletes random ones). Returns the handles created.
 */
export function createHebbianLinks(
  bank: AttentionBank,
  source: Handle,
  focus: readonly Handle[],
  outsideFocus: () => Handle | undefined,
  p: EcanParams,
): Handle[] {
  const store = bank.store;
  const heb = store.types.id('HebbianLink');
  if (store.types.isA(store.typeIdOf(source), heb)) return [];
  const created: Handle[] = [];
  let count = 0;
  for (const t of focus) {
    if (t === source || store.types.isA(store.typeIdOf(t), heb)) continue;
    if (store.getLink('AsymmetricHebbianLink', [t, source]) === undefined) created.push(addHebbian(bank, t, source));
    if (store.getLink('AsymmetricHebbianLink', [source, t]) === undefined) {
      created.push(addHebbian(bank, source, t));
      count++;
    }
  }
  const far = Math.round(count / p.localFarLinkRatio);
  for (let i = 0; i < far; i++) {
    const t = outsideFocus();
    if (t === undefined || t === source || !store.has(t) || store.types.isA(store.typeIdOf(t), heb)) continue;
    if (store.getLink('AsymmetricHebbianLink', [source, t]) === undefined) created.push(addHebbian(bank, source, t));
  }
  const links = store.incomingByType(source, 'HebbianLink', true);
  if (links.length > p.maxHebbianLinks) {
    const weight = (l: Handle) => {
      const tv = store.getTv(l);
      return tv.strength * tv.confidence;
    };
    links.sort((a, b) => weight(a) - weight(b) || a - b);
    for (let i = 0; i < links.length - p.maxHebbianLinks; i++) {
      const l = links[i]!;
      if (store.has(l)) store.remove(l, { recursive: true });
    }
  }
  return created.filter((h) => store.has(h));
}
