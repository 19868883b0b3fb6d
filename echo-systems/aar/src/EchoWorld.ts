import { Dtesn, type DtesnOptions } from '@dte/dtesn';
import { Ecan, type EcanParams } from '@dte/ecan';
import { AtomSpace, type Handle } from '@dte/hypergraph';
import type { ActionChooser } from './ActionChooser.ts';

/** Options of {@link EchoWorld}. */
export interface EchoWorldOptions {
  seed: number;
  /** Length of every agent's sensation vector. */
  sensorDim: number;
  /** Number of arena actions (the DTESN reflex head's outputs). */
  numActions: number;
  /** Engine-backed chooser; absent = reflex-only minds. */
  chooser?: ActionChooser;
  /** DTESN shape (defaults: 4 membranes × 48 units, readouts refitted every 50 ticks). */
  dtesn?: Partial<DtesnOptions>;
  ecan?: Partial<EcanParams>;
}

/**
 * What every agent of a run shares: one hypergraph (memories, concepts, relations), one ECAN economy
 * over it, the DTESN kernel (one membrane tree per agent) and the engine's action chooser.
 */
export class EchoWorld {
  readonly store: AtomSpace;
  readonly ecan: Ecan;
  readonly dtesn: Dtesn;
  readonly chooser: ActionChooser | undefined;
  private lastTick = -1;
  private readonly concepts = new Map<string, Handle>();

  constructor(readonly options: EchoWorldOptions) {
    this.store = new AtomSpace();
    this.ecan = new Ecan(this.store, { seed: options.seed, ...(options.ecan ? { params: options.ecan } : {}) });
    this.dtesn = new Dtesn({
      sensorDim: options.sensorDim,
      numActions: options.numActions,
      membranes: 4,
      units: 48,
      refitEvery: 50,
      seed: options.seed,
      ...options.dtesn,
    });
    this.chooser = options.chooser;
  }

  /** Runs the ECAN tick once per arena tick (the first agent to sense a new tick triggers it). */
  ensureTick(tick: number): void {
    if (tick > this.lastTick) {
      if (this.lastTick >= 0) this.ecan.tick();
      this.lastTick = tick;
    }
  }

  /** The `ConceptNode` for a name (food, water, …), protected from forgetting. */
  concept(name: string): Handle {
    let h = this.concepts.get(name);
    if (h === undefined) {
      h = this.store.addNode('ConceptNode', name);
      const av = this.store.getAv(h);
      this.store.setAv(h, av.sti, av.lti, 1);
      this.concepts.set(name, h);
    }
    return h;
  }

  /** A readable label for an atom (episode text, or node name), for prompts and viewers. */
  describe(h: Handle): string {
    if (!this.store.has(h)) return '';
    const text = this.store.getValue(h, 'text');
    if (typeof text === 'string') return text;
    return this.store.isNode(h) ? this.store.nameOf(h) : this.store.typeOf(h);
  }
}
