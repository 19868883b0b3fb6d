import type { Handle, HypergraphStore } from '@dte/hypergraph';
import type { Subscription } from 'rxjs';
import type { EcanParams } from './EcanParams.ts';
import { ltiWage, stiWage } from './economy.ts';
import { ecanError } from './errors.ts';

/**
 * The attention bank: conserved STI and LTI funds over a hypergraph store.
 * Invariant: `fundsSti + Σ sti(atom) = startingFundsSti` (same for LTI) through
 * every operation — the bank listens to the store's `av` and `removed` changes,
 * so any AV write (by ECAN or anyone else) and any removal moves funds.
 * (OpenCog's bank drops a removed atom's STI on the floor; ours refunds it.)
 *
 * @example
 * ```ts
 * const bank = new AttentionBank(store, resolveEcanParams());
 * bank.stimulate(h, 200); // sti(h) += 20 * 200 while funds are far above target
 * ```
 */
export class AttentionBank {
  private fSti: number;
  private fLti: number;
  private readonly sub: Subscription;

  constructor(
    readonly store: HypergraphStore,
    readonly params: EcanParams,
  ) {
    let sti = 0;
    let lti = 0;
    for (const h of store.handles()) {
      sti += store.getSti(h);
      lti += store.getLti(h);
    }
    this.fSti = params.startingFundsSti - sti;
    this.fLti = params.startingFundsLti - lti;
    this.sub = store.changes$.subscribe((c) => {
      if (c.kind === 'av') {
        this.fSti += c.old.sti - c.sti;
        this.fLti += c.old.lti - c.lti;
      } else if (c.kind === 'removed') {
        this.fSti += c.av.sti;
        this.fLti += c.av.lti;
      }
    });
  }

  /** STI funds held by the bank. */
  get fundsSti(): number {
    return this.fSti;
  }

  /** LTI funds held by the bank. */
  get fundsLti(): number {
    return this.fLti;
  }

  /**
   * Restores saved funds (resuming a run: the saved values are the exact float accumulations).
   * Only valid with the store restored from the snapshot taken together with them.
   */
  restoreFunds(fundsSti: number, fundsLti: number): void {
    if (!Number.isFinite(fundsSti) || !Number.isFinite(fundsLti)) {
      throw ecanError('DTE_ERR_ECAN_BAD_ARGUMENT', 'AttentionBank.restoreFunds', 'funds must be finite');
    }
    this.fSti = fundsSti;
    this.fLti = fundsLti;
  }

  /** Pays wages for `stimulus` (OpenCog `AttentionBank::stimulate`); returns the STI wage paid. */
  stimulate(h: Handle, stimulus: number): number {
    this.check(h, 'AttentionBank.stimulate');
    if (!Number.isFinite(stimulus))
      throw ecanError('DTE_ERR_ECAN_BAD_ARGUMENT', 'AttentionBank.stimulate', 'stimulus must be finite');
    const s = this.store;
    const w = stiWage(this.fSti, this.params) * stimulus;
    const lw = ltiWage(this.fLti, this.params) * stimulus;
    s.setAv(h, s.getSti(h) + w, s.getLti(h) + lw, s.getVlti(h));
    return w;
  }

  /** Sets an atom's STI (the difference comes from or goes to the funds). */
  setSti(h: Handle, sti: number): void {
    this.check(h, 'AttentionBank.setSti');
    if (!Number.isFinite(sti))
      throw ecanError('DTE_ERR_ECAN_BAD_ARGUMENT', 'AttentionBank.setSti', 'sti must be finite');
    this.store.setAv(h, sti, this.store.getLti(h), this.store.getVlti(h));
  }

  /** Sets an atom's LTI. */
  setLti(h: Handle, lti: number): void {
    this.check(h, 'AttentionBank.setLti');
    if (!Number.isFinite(lti))
      throw ecanError('DTE_ERR_ECAN_BAD_ARGUMENT', 'AttentionBank.setLti', 'lti must be finite');
    this.store.setAv(h, this.store.getSti(h), lti, this.store.getVlti(h));
  }

  /** Moves `amount` STI from one atom to another (OpenCog `tradeSTI`); funds are untouched. */
  tradeSti(from: Handle, to: Handle, amount: number): void {
    this.check(from, 'AttentionBank.tradeSti');
    this.check(to, 'AttentionBank.tradeSti');
    if (!Number.isFinite(amount))
      throw ecanError('DTE_ERR_ECAN_BAD_ARGUMENT', 'AttentionBank.tradeSti', 'amount must be finite');
    this.setSti(from, this.store.getSti(from) - amount);
    this.setSti(to, this.store.getSti(to) + amount);
  }

  /** Adds `delta` to an atom's VLTI (OpenCog `inc_vlti`/`dec_vlti`); VLTI > 0 protects from forgetting. */
  changeVlti(h: Handle, delta: number): void {
    this.check(h, 'AttentionBank.changeVlti');
    if (!Number.isInteger(delta))
      throw ecanError('DTE_ERR_ECAN_BAD_ARGUMENT', 'AttentionBank.changeVlti', 'delta must be an integer');
    const s = this.store;
    s.setAv(h, s.getSti(h), s.getLti(h), s.getVlti(h) + delta);
  }

  /** Σ sti over atoms + funds (equals `startingFundsSti` up to rounding). */
  totalSti(): number {
    let t = this.fSti;
    for (const h of this.store.handles()) t += this.store.getSti(h);
    return t;
  }

  /** Σ lti over atoms + funds. */
  totalLti(): number {
    let t = this.fLti;
    for (const h of this.store.handles()) t += this.store.getLti(h);
    return t;
  }

  /** Stops listening to the store. */
  dispose(): void {
    this.sub.unsubscribe();
  }

  private check(h: Handle, method: string): void {
    if (!this.store.has(h)) throw ecanError('DTE_ERR_ECAN_NOT_FOUND', method, h);
  }
}
