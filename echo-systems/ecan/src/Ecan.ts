import { createPrng, type Prng } from '@dte/echo-kit';
import type { Handle, HypergraphStore } from '@dte/hypergraph';
import { BehaviorSubject, type Observable, Subject } from 'rxjs';
import { AttentionBank } from './AttentionBank.ts';
import { spreadImportance } from './diffusion.ts';
import { type EcanParams, resolveEcanParams } from './EcanParams.ts';
import { ltiRent, stiRent } from './economy.ts';
import { ecanError } from './errors.ts';
import { forgetAtoms } from './forgetAtoms.ts';
import { createHebbianLinks, updateHebbianLinks } from './hebbian.ts';
import { diffFocus, selectFocus } from './selectFocus.ts';

/** An atom entering or leaving the attentional focus. */
export interface FocusEvent {
  readonly kind: 'enter' | 'leave';
  readonly handle: Handle;
  readonly sti: number;
  readonly tick: number;
}

/** STI of the focus and the funds, after each tick. */
export interface StiSnapshot {
  readonly tick: number;
  readonly fundsSti: number;
  readonly fundsLti: number;
  readonly focus: ReadonlyArray<{ readonly handle: Handle; readonly sti: number }>;
}

/** What one tick did. */
export interface TickReport {
  readonly tick: number;
  readonly rentSti: number;
  readonly rentLti: number;
  readonly diffused: number;
  readonly hebbianCreated: number;
  readonly hebbianUpdated: number;
  readonly forgotten: number;
  readonly entered: readonly Handle[];
  readonly left: readonly Handle[];
}

/** The part of ECAN's state not held in the store (save it next to a store snapshot). */
export interface EcanState {
  readonly tick: number;
  readonly rng: readonly [number, number, number, number];
  readonly focus: readonly Handle[];
  /** Bank funds as accumulated (recomputing them from the atoms could differ in the last bit). */
  readonly fundsSti: number;
  readonly fundsLti: number;
}

/** Options of `Ecan`. */
export interface EcanOptions {
  readonly params?: Partial<EcanParams>;
  /** Seed of the PRNG for Hebbian source choice and far links (default 1). */
  readonly seed?: number;
  /** Resume from `getState()` (with the store restored from the matching snapshot). */
  readonly state?: EcanState;
}

/**
 * Economic attention allocation over a hypergraph store, one `tick()` at a time:
 * focus update (+ Hebbian creation for entering atoms) → importance diffusion
 * from the focus → Hebbian updating → rent → forgetting → focus update.
 * Deterministic for a given seed and call sequence.
 *
 * @example
 * ```ts
 * const ecan = new Ecan(store, { seed: 42 });
 * ecan.stimulate(h, 10);
 * ecan.tick();
 * ecan.focus(); // [h, ...]
 * ```
 */
export class Ecan {
  readonly params: EcanParams;
  readonly bank: AttentionBank;
  private readonly rng: Prng;
  private current: Handle[] = [];
  private tickNo = 0;
  private readonly focusSubject = new BehaviorSubject<readonly Handle[]>([]);
  private readonly eventSubject = new Subject<FocusEvent>();
  private readonly stiSubject = new Subject<StiSnapshot>();

  /** The focus (highest STI first) after every update. */
  readonly focus$: Observable<readonly Handle[]> = this.focusSubject.asObservable();
  /** Enter/leave events. */
  readonly focusEvents$: Observable<FocusEvent> = this.eventSubject.asObservable();
  /** Focus STI and funds after every tick. */
  readonly sti$: Observable<StiSnapshot> = this.stiSubject.asObservable();

  constructor(
    readonly store: HypergraphStore,
    opts: EcanOptions = {},
  ) {
    this.params = resolveEcanParams(opts.params);
    const seed = opts.seed ?? 1;
    if (!Number.isFinite(seed)) throw ecanError('DTE_ERR_ECAN_BAD_ARGUMENT', 'new Ecan', 'seed must be finite');
    this.rng = createPrng(seed);
    this.bank = new AttentionBank(store, this.params);
    if (opts.state !== undefined) {
      const st = opts.state;
      if (!Number.isInteger(st.tick) || !Array.isArray(st.rng) || st.rng.length !== 4 || !Array.isArray(st.focus)) {
        throw ecanError('DTE_ERR_ECAN_BAD_ARGUMENT', 'new Ecan', 'state must come from Ecan.getState()');
      }
      this.tickNo = st.tick;
      this.rng.setState(st.rng);
      this.current = st.focus.filter((h) => store.has(h));
      this.bank.restoreFunds(st.fundsSti, st.fundsLti);
      this.focusSubject.next(this.current);
    }
  }

  /** Tick count, PRNG state and focus: with a store snapshot, enough to resume the run exactly. */
  getState(): EcanState {
    return {
      tick: this.tickNo,
      rng: this.rng.getState(),
      focus: this.current.slice(),
      fundsSti: this.bank.fundsSti,
      fundsLti: this.bank.fundsLti,
    };
  }

  /** Ticks run so far. */
  get ticks(): number {
    return this.tickNo;
  }

  /** The current attentional focus, highest STI first. */
  focus(): readonly Handle[] {
    return this.current;
  }

  /** Stimulates an atom (wages from the bank); the focus catches up on `updateFocus()` or the next tick. */
  stimulate(h: Handle, stimulus: number): number {
    return this.bank.stimulate(h, stimulus);
  }

  /**
   * Recomputes the focus, emits enter/leave events and creates Hebbian links
   * for entering atoms. Returns entered/left handles and the links created.
   */
  updateFocus(): { entered: Handle[]; left: Handle[]; created: number } {
    const p = this.params;
    this.current = this.current.filter((h) => this.store.has(h));
    const next = selectFocus(this.store, p.focusSize, p.focusMinSti);
    const { entered, left } = diffFocus(this.current, next);
    this.current = next;
    for (const h of left) {
      const sti = this.store.has(h) ? this.store.getSti(h) : 0;
      this.eventSubject.next({ kind: 'leave', handle: h, sti, tick: this.tickNo });
    }
    let created = 0;
    if (entered.length > 0) {
      const inFocus = new Set(next);
      const heb = this.store.types.id('HebbianLink');
      // A random live, non-Hebbian atom outside the focus, by seeded rejection sampling over handles
      // (no O(atoms) candidate list per tick); gives up after 64 draws.
      const outside = (): Handle | undefined => {
        const end = this.store.nextHandle;
        for (let tries = 0; tries < 64 && end > 1; tries++) {
          const h = 1 + this.rng.nextInt(end - 1);
          if (this.store.has(h) && !inFocus.has(h) && !this.store.types.isA(this.store.typeIdOf(h), heb)) return h;
        }
        return undefined;
      };
      for (const h of entered) {
        this.eventSubject.next({ kind: 'enter', handle: h, sti: this.store.getSti(h), tick: this.tickNo });
        if (this.store.has(h)) created += createHebbianLinks(this.bank, h, next, outside, p).length;
      }
    }
    if (entered.length > 0 || left.length > 0) this.focusSubject.next(next);
    return { entered, left, created };
  }

  /** One ECAN cycle. */
  tick(): TickReport {
    const p = this.params;
    const store = this.store;
    const first = this.updateFocus();
    const diffused = spreadImportance(this.bank, this.current, p);

    let hebbianUpdated = 0;
    if (this.current.length > 0 && p.hebbianUpdateSources > 0) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      const end = store.nextHandle;
      for (let h = 1; h < end; h++) {
        if (!store.has(h)) continue;
        const s = store.getSti(h);
        if (s < min) min = s;
        if (s > max) max = s;
      }
      for (let i = 0; i < p.hebbianUpdateSources; i++) {
        const src = this.current[this.rng.nextInt(this.current.length)]!;
        hebbianUpdated += updateHebbianLinks(store, src, { min, max }, p);
      }
    }

    const rs = stiRent(this.bank.fundsSti, p);
    const rl = ltiRent(this.bank.fundsLti, p);
    let rentSti = 0;
    let rentLti = 0;
    const proportional = p.rentMode === 'proportional';
    if (rs > 0 || rl > 0 || proportional) {
      const payers = p.rentScope === 'focus' ? this.current : undefined;
      const n = payers === undefined ? store.nextHandle - 1 : payers.length;
      for (let i = 0; i < n; i++) {
        const h = payers === undefined ? i + 1 : payers[i]!;
        if (!store.has(h)) continue;
        const sti = store.getSti(h);
        const lti = store.getLti(h);
        const ps = sti > 0 ? (proportional ? p.stiRentRate * sti : Math.min(rs, sti)) : 0;
        const pl = lti > 0 ? Math.min(rl, lti) : 0;
        if (ps === 0 && pl === 0) continue;
        store.setAv(h, sti - ps, lti - pl, store.getVlti(h));
        rentSti += ps;
        rentLti += pl;
      }
    }

    const forgotten = forgetAtoms(this.bank, new Set(this.current), p).length;
    const second = this.updateFocus();
    this.tickNo++;
    this.stiSubject.next({
      tick: this.tickNo,
      fundsSti: this.bank.fundsSti,
      fundsLti: this.bank.fundsLti,
      focus: this.current.map((h) => ({ handle: h, sti: store.getSti(h) })),
    });
    const entered = [...new Set([...first.entered, ...second.entered])].filter((h) => this.current.includes(h));
    const left = [...new Set([...first.left, ...second.left])].filter((h) => !this.current.includes(h));
    return {
      tick: this.tickNo,
      rentSti,
      rentLti,
      diffused,
      hebbianCreated: first.created + second.created,
      hebbianUpdated,
      forgotten,
      entered,
      left,
    };
  }

  /** Completes the observables and detaches from the store. */
  dispose(): void {
    this.bank.dispose();
    this.focusSubject.complete();
    this.eventSubject.complete();
    this.stiSubject.complete();
  }
}
