import { MembraneReservoirTree } from '@dte/dtesn';
import { Ecan, type EcanParams } from '@dte/ecan';
import { AtomSpace, EpisodicMemory, type Handle } from '@dte/hypergraph';
import { BehaviorSubject } from 'rxjs';
import { aarError } from './AarError.ts';
import type { AgentMind, Decision, Deliberation, Percept, SenseResult, ThingKind } from './AgentMind.ts';
import type { Chooser } from './Chooser.ts';
import { CognitiveMap, type DistanceField } from './CognitiveMap.ts';
import { computeUrgency, priorityOf } from './computeUrgency.ts';
import { DangerModel, ECHO_TICKS, type HazardEcho, hazardEcho, PATCH_DIM, patchOf } from './DangerModel.ts';
import { type ActionIds, actionIdsOf, type Danger, type Goal, goalBudget, motorStep, reflexAction } from './motor.ts';
import {
  type DeliberationOption,
  exploreOption,
  isAvailable,
  NEED_THRESHOLD,
  placeOption,
  type Regrowth,
  type RememberedPlace,
} from './options.ts';

/** Which parts of the mind run (the ablations switch them off one at a time). */
export interface MindParts {
  /** Remember places and the map; off: options come from what is in view now, paths from the view. */
  memory: boolean;
  /** `focus`: ECAN's attentional focus picks the remembered places offered; `random`: a seeded draw. */
  attention: 'focus' | 'random';
  /** The DTESN reservoir: predicted danger in the reflex and surprise-triggered deliberation. */
  dtesn: boolean;
}

/** Options of {@link EchoMind}. */
export interface EchoMindOptions {
  persona: string;
  actionNames: readonly string[];
  /** How fast the world refills springs and regrows food (what the teacher and the labels assume). */
  regrowth: Regrowth;
  /** Who chooses among options (the engine, a scripted teacher); absent: reflexes only. */
  chooser?: Chooser;
  /** Ask the engine at the priority urgency sets (default); false: priority 0 for all (FCFS). */
  prioritize?: boolean;
  parts?: Partial<MindParts>;
  /** While exploring, deliberate again after this many ticks. Default 12. */
  deliberateEvery?: number;
  /** Remembered places offered per deliberation (plus one exploring option). Default 3. */
  placesPerPrompt?: number;
  /** Reservoir size: membranes × units. Default 4 × 32. */
  reservoir?: { membranes: number; units: number };
  /** The run's shared danger readout (one per run: every agent's reservoir is the same network). */
  danger?: DangerModel;
  seed?: number;
}

/**
 * ECAN for one mind: a conserved economy whose funds start at target (wages at their base rate) with
 * proportional rent, so an atom's STI settles at the stimulus it keeps getting ÷ 0.05 — bounded.
 */
export const MIND_ECAN: Partial<EcanParams> = {
  startingFundsSti: 10_000,
  targetSti: 10_000,
  stiFundsBuffer: 10_000,
  startingFundsLti: 10_000,
  targetLti: 10_000,
  ltiFundsBuffer: 10_000,
  stiWage: 1,
  ltiWage: 0.1,
  rentMode: 'proportional',
  stiRentRate: 0.05,
  ltiRent: 0.05,
  focusSize: 8,
  focusMinSti: 0.5,
  maxSpreadPercentage: 0.2,
  maxHebbianLinks: 4,
  hebbianUpdateSources: 1,
  forgetMaxAtoms: 600,
  forgetSizeSpread: 50,
};

/** Most STI handed out per tick, split over the stimulated atoms by weight (normalised stimulus). */
const STIMULUS_PER_TICK = 40;
/** A predicted hazard above this counts as danger. */
const DANGER = 0.25;
/** Ticks the reflex waits for a predicted (not seen) danger before it trusts its eyes again. */
const MAX_WAIT = 3;

const hash = (s: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
};

const placeKey = (x: number, y: number) => `${x},${y}`;

/**
 * An agent's mind on the echo systems. Each tick (`sense`):
 * - **DTESN**: the agent's membrane-reservoir tree predicts the next sensation; the error is surprise,
 *   and the predicted hazard indicators of the cell in front and its own cell are danger the reflex
 *   avoids before it is visible there.
 * - **Memory**: what is in view goes onto the agent's own map (walls, ground, tracks where hazards
 *   were seen) and each spring and food cell becomes a place atom in its hypergraph, with its state
 *   (full, dry, eaten) and when it was seen; changes (a spring run dry) become episodes.
 * - **Attention**: its own ECAN economy, stimulated by a fixed budget per tick split over the self
 *   (by bodily need), the places that serve its needs (by need and nearness) and what it sees; the
 *   focus ranks the places, and urgency = body + the self's share of attention.
 * - **Reflex and motor**: the goal being carried out is walked on the map (path planning); the reflex
 *   eats or drinks what is in front when needed and keeps out of (predicted) danger.
 * Deliberation (when idle, a goal ended, a need became pressing, on surprise, or due) offers the
 * model the places attention ranks highest plus one way to explore, as numbered options; the chosen
 * one becomes the goal. The engine sees the agent as owner at a priority that follows its urgency.
 */
export class EchoMind implements AgentMind {
  readonly store: AtomSpace;
  readonly ecan: Ecan;
  readonly memory: EpisodicMemory;
  readonly map = new CognitiveMap();
  readonly self: Handle;
  readonly parts: MindParts;
  /** Urgency after every sense, in [0, 1]. */
  readonly urgency$: BehaviorSubject<number>;
  readonly tree: MembraneReservoirTree | undefined;
  /** The goal being carried out. */
  goal: Goal | undefined;
  /** The prompt of the last deliberation (for viewers and tests). */
  lastPrompt = '';
  /** The options of the last deliberation. */
  lastOptions: DeliberationOption[] = [];
  /** Remembered places that could have been offered at the last deliberation (reachable ones). */
  lastCandidates = 0;
  /** The DTESN's predicted hazard for the cell in front and the agent's own cell, this tick. */
  predictedDanger = { front: 0, here: 0 };
  private readonly ids: ActionIds;
  private readonly concepts = new Map<string, Handle>();
  /** Remembered springs and food cells, by `x,y`: their atoms and what was last seen of them. */
  readonly places = new Map<string, { handle: Handle; place: RememberedPlace }>();
  private readonly options: Required<Omit<EchoMindOptions, 'chooser' | 'parts' | 'seed' | 'prioritize' | 'danger'>> & {
    seed: number;
  };
  private lastAction: number | undefined;
  private surpriseMean = 0;
  private surpriseVar = 0;
  private reason: string | undefined;
  private lastNeed = '';
  private field: DistanceField | undefined;
  private danger: Danger = { front: false, here: false };
  private lastDeliberation = -1;
  private readonly echoes: HazardEcho[] = [];
  private prevWindows: Array<{ z: Float64Array; x: number; y: number }> = [];
  private waits = 0;

  constructor(
    readonly agentId: string,
    private readonly settings: EchoMindOptions,
  ) {
    this.options = {
      deliberateEvery: 12,
      placesPerPrompt: 3,
      reservoir: { membranes: 4, units: 32 },
      seed: 0,
      ...settings,
    };
    this.parts = { memory: true, attention: 'focus', dtesn: true, ...settings.parts };
    this.ids = actionIdsOf(settings.actionNames);
    this.store = new AtomSpace();
    this.store.types.define('PlaceNode', 'ConceptNode');
    this.ecan = new Ecan(this.store, { seed: (this.options.seed ^ hash(agentId)) >>> 0, params: MIND_ECAN });
    this.memory = new EpisodicMemory(this.store, { agent: agentId, decay: 0.98 });
    this.self = this.store.addNode('AnchorNode', `agent:${agentId}`);
    this.protect(this.self);
    for (const c of ['water', 'food', 'hazard']) this.concept(c);
    this.urgency$ = new BehaviorSubject(0);
    // Every agent of a run gets the same reservoir network (the run's seed), so that one danger
    // readout serves them all; each runs its own states.
    this.tree = this.parts.dtesn
      ? new MembraneReservoirTree({
          sensorDim: PATCH_DIM,
          membranes: this.options.reservoir.membranes,
          units: this.options.reservoir.units,
          refitEvery: 50,
          ridge: 1e-1,
          seed: (this.options.seed * 977 + 13) >>> 0,
        })
      : undefined;
  }

  /** The engine priority this mind asks for now. */
  get priority(): number {
    return priorityOf(this.urgency$.value);
  }

  /** The attention tick (ECAN: diffusion, rent, forgetting, focus), run by the orchestrator each tick. */
  attend(_tick: number): void {
    this.ecan.tick();
  }

  sense(p: Percept): SenseResult {
    // DTESN: surprise (the reservoir's own prediction error), and danger predicted for the next tick.
    let surprise = 0;
    let predicted = { front: 0, here: 0 };
    if (this.tree) {
      surprise = this.tree.tick(patchOf(p)).surprise;
      const danger = this.settings.danger;
      if (danger) {
        const echo = hazardEcho(p);
        // Learn what last tick's windows led to, where their centre cells are in view now.
        for (const w of this.prevWindows) {
          const seen = echo.get(w.y * 4096 + w.x);
          if (seen !== undefined) danger.learn(w.z, seen);
        }
        this.echoes.unshift(echo);
        if (this.echoes.length > ECHO_TICKS) this.echoes.pop();
        const f = DangerModel.ahead(p.position.x, p.position.y, p.heading);
        const zf = danger.features(danger.window(this.echoes, f.x, f.y, p.heading));
        const zh = danger.features(danger.window(this.echoes, p.position.x, p.position.y, p.heading));
        predicted = { front: danger.predict(zf), here: danger.predict(zh) };
        this.prevWindows = [
          { z: zf, x: f.x, y: f.y },
          { z: zh, x: p.position.x, y: p.position.y },
        ];
      }
    }
    this.predictedDanger = predicted;
    // Waiting out a predicted danger: a few ticks at most, then the eyes decide.
    const onlyPredicted = p.front !== 'hazard' && predicted.front > DANGER;
    this.waits = onlyPredicted && this.lastAction === this.ids.stay ? this.waits + 1 : 0;
    this.danger = {
      front: p.front === 'hazard' || (predicted.front > DANGER && this.waits < MAX_WAIT),
      here: p.here === 'hazard' || predicted.here > DANGER,
    };
    // Memory: the map and the places.
    if (!this.parts.memory) this.map.clear();
    const changes = this.map.observe(p.sightings, p.tick);
    this.updatePlaces(p, changes);
    this.field = this.map.distances(p.position, p.tick);
    // Attention: a fixed budget of stimulus, split by weight.
    this.stimulate(p);
    const selfShare = this.selfShare();
    const urgency = computeUrgency(p.body, selfShare);
    // Motor and reflex.
    let proposal: number | undefined;
    let ended: string | undefined;
    if (this.goal) {
      const step = motorStep(this.goal, p, this.map, this.field, this.ids);
      if (step.outcome) {
        ended = step.outcome;
        this.endGoal(p, step.outcome);
      } else proposal = step.action;
    }
    const reflex = reflexAction(p, this.ids, this.danger, proposal);
    // Should this tick deliberate, and why.
    const surprised = this.tree !== undefined && this.isSurprising(surprise);
    const need = this.pressingNeed(p);
    const serving = this.goal && need !== '' && this.goal.option.kind === need;
    this.reason = !this.settings.chooser
      ? undefined
      : ended
        ? `goal ${ended}`
        : !this.goal
          ? 'idle'
          : need !== '' && need !== this.lastNeed && !serving
            ? 'urgent'
            : surprised
              ? 'surprised'
              : this.goal.option.kind === 'explore' && p.tick - this.lastDeliberation >= this.options.deliberateEvery
                ? 'due'
                : undefined;
    this.lastNeed = need;
    this.urgency$.next(urgency);
    return {
      surprise,
      urgency,
      reflex,
      focus: this.focusTexts(),
      memories: this.memory.retrieve({ now: p.tick, k: 3 }).map((e) => e.text),
      ...(this.goal ? { goal: this.goal.option.label } : {}),
      ...(this.reason ? { deliberation: this.reason } : {}),
    };
  }

  wantsToDeliberate(_p: Percept, s: SenseResult): boolean {
    return s.deliberation !== undefined;
  }

  async deliberate(p: Percept, _s: SenseResult, signal: AbortSignal): Promise<Deliberation> {
    const started = performance.now();
    const chooser = this.settings.chooser;
    if (!chooser) throw aarError('DTE_ERR_AAR_NO_ENGINE', 'EchoMind.deliberate', 'this mind has no chooser');
    this.lastDeliberation = p.tick;
    const options = this.buildOptions(p);
    this.lastOptions = options;
    if (options.length === 0) {
      return { action: this.act(p), thought: 'nothing to choose from', latencyMs: performance.now() - started };
    }
    const context = this.context(p);
    let index = 0;
    let thought = `option 1: ${options[0]!.label}`;
    if (options.length > 1) {
      const choice = await chooser.choose({
        owner: this.agentId,
        context,
        options: options.map((o) => o.label),
        priority: this.settings.prioritize === false ? 0 : this.priority,
        signal,
        seed: (hash(this.agentId) ^ Math.imul(p.tick + 1, 0x9e3779b1) ^ this.options.seed) >>> 0,
        detail: { options, body: p.body, tick: p.tick, regrowth: this.settings.regrowth },
      });
      index = choice.index;
      thought = choice.thought;
      this.lastPrompt = choice.prompt;
    } else this.lastPrompt = chooser.prompt?.(context, [options[0]!.label]) ?? context;
    this.adopt(options[index]!, p);
    return { action: this.act(p), thought, latencyMs: performance.now() - started };
  }

  /** The tick's action under the current goal (after a deliberation, or when it came too late). */
  act(p: Percept): number {
    let proposal: number | undefined;
    if (this.goal && this.field) {
      const step = motorStep(this.goal, p, this.map, this.field, this.ids);
      if (step.outcome) this.endGoal(p, step.outcome);
      else proposal = step.action;
    }
    return reflexAction(p, this.ids, this.danger, proposal);
  }

  remember(d: Decision, p: Percept): void {
    this.lastAction = d.action;
    if (d.source === 'thought' && this.goal) {
      this.memory.record({
        kind: 'action',
        text: `t${p.tick}: I set out to ${this.goal.option.label}`,
        tick: p.tick,
        importance: 0.3,
        about: [this.self],
      });
    }
  }

  /** The deliberation context: persona, the tick, what is on its mind, and the observation. */
  context(p: Percept): string {
    const focus = this.focusConcepts();
    return [
      `You are ${this.agentId}, ${this.settings.persona}`,
      `It is t${p.tick}.`,
      focus.length ? `On your mind: ${focus.join(', ')}.` : '',
      `Now: ${p.text}`,
    ]
      .filter(Boolean)
      .join('\n');
  }

  /**
   * The options of a deliberation: remembered places (ranked by attention, or drawn at random without
   * it; only those in view without memory), nearest first, then one way to explore.
   */
  buildOptions(p: Percept): DeliberationOption[] {
    const field = this.field ?? this.map.distances(p.position, p.tick);
    const k = this.options.placesPerPrompt;
    let candidates = [...this.places.values()];
    // Without memory, only what is in view now as a resource.
    if (!this.parts.memory) candidates = candidates.filter((c) => c.place.seen === p.tick && c.place.state !== 'eaten');
    const reachable = candidates
      .map((c) => ({ c, option: placeOption(c.place, p.position, field, this.map) }))
      .filter((x): x is { c: (typeof candidates)[number]; option: DeliberationOption } => x.option !== undefined);
    this.lastCandidates = reachable.length;
    let picked: typeof reachable;
    if (this.parts.attention === 'focus') {
      picked = [...reachable]
        .sort((a, b) => this.store.getSti(b.c.handle) - this.store.getSti(a.c.handle) || a.c.handle - b.c.handle)
        .slice(0, k);
    } else {
      // A seeded draw without replacement (the ablation of attention).
      const pool = [...reachable].sort((a, b) => a.c.handle - b.c.handle);
      let s = (hash(this.agentId) ^ Math.imul(p.tick + 7, 0x85ebca6b) ^ this.options.seed) >>> 0;
      picked = [];
      while (pool.length > 0 && picked.length < k) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        picked.push(pool.splice(s % pool.length, 1)[0]!);
      }
    }
    const options = picked.map((x) => x.option).sort((a, b) => a.steps - b.steps || a.label.localeCompare(b.label));
    const explore = exploreOption(p.position, field, this.map);
    if (explore) options.push(explore);
    return options;
  }

  /** Texts of the atoms in attentional focus (places, concepts, episodes), highest STI first. */
  focusTexts(k = 4): string[] {
    const out: string[] = [];
    for (const h of this.ecan.focus()) {
      if (out.length >= k || !this.store.has(h) || !this.store.isNode(h)) continue;
      const text = this.store.getValue(h, 'text');
      out.push(typeof text === 'string' ? text : this.store.nameOf(h).replace(/^agent:/, ''));
    }
    return out;
  }

  /** The concepts in focus (water, food, hazard), for the prompt's "On your mind" line. */
  private focusConcepts(): string[] {
    const names: string[] = [];
    for (const h of this.ecan.focus()) {
      if (this.store.has(h) && this.store.typeOf(h) === 'ConceptNode') names.push(this.store.nameOf(h));
    }
    return names.slice(0, 3);
  }

  private adopt(option: DeliberationOption, p: Percept): void {
    this.goal = { option, since: p.tick, budget: goalBudget(option.steps) };
  }

  private endGoal(p: Percept, outcome: 'reached' | 'failed'): void {
    const g = this.goal;
    this.goal = undefined;
    if (!g) return;
    this.memory.record({
      kind: 'outcome',
      text: `t${p.tick}: ${outcome === 'reached' ? 'did' : 'could not'} ${g.option.label.replace(/,.*$/, '')}`,
      tick: p.tick,
      importance: outcome === 'reached' ? 0.4 : 0.6,
      about: [this.self],
    });
  }

  /** `drink` or `eat` when that need is below the threshold (the lower first), else ''. */
  private pressingNeed(p: Percept): string {
    const { energy, hydration } = p.body;
    if (Math.min(energy, hydration) >= NEED_THRESHOLD - 0.25) return '';
    return hydration <= energy ? 'drink' : 'eat';
  }

  /** Surprise well above this mind's running level (z > 3 over an exponential mean and variance). */
  private isSurprising(s: number): boolean {
    const z = this.surpriseVar > 0 ? (s - this.surpriseMean) / Math.sqrt(this.surpriseVar) : 0;
    const a = 0.05;
    const d = s - this.surpriseMean;
    this.surpriseMean += a * d;
    this.surpriseVar = (1 - a) * (this.surpriseVar + a * d * d);
    return (this.tree?.ticks ?? 0) > 30 && z > 3;
  }

  /** Place atoms for every spring and food cell in view, kept in step with what is seen. */
  private updatePlaces(p: Percept, changes: ReturnType<CognitiveMap['observe']>): void {
    const seen = (kind: ThingKind) => kind === 'water' || kind === 'dry spring' || kind === 'food';
    for (const s of p.sightings) {
      if (!seen(s.kind)) continue;
      const kind = s.kind === 'food' ? 'food' : 'water';
      const state = s.kind === 'dry spring' ? 'dry' : 'full';
      const entry = this.placeAtom(kind, s.x, s.y);
      entry.place.state = state;
      entry.place.seen = p.tick;
    }
    for (const c of changes) {
      // Food gone from a cell: remember it as eaten (it grows back there).
      if (c.from === 'food' && c.to !== 'food') {
        const e = this.places.get(placeKey(c.x, c.y));
        if (e) {
          e.place.state = 'eaten';
          e.place.seen = p.tick;
        }
      }
      if ((c.from === 'water' && c.to === 'dry spring') || (c.from === 'dry spring' && c.to === 'water')) {
        const e = this.places.get(placeKey(c.x, c.y));
        const text = `t${p.tick}: the spring at ${c.x},${c.y} ${c.to === 'dry spring' ? 'ran dry' : 'has water again'}`;
        const ep = this.memory.record({
          kind: 'observation',
          text,
          tick: p.tick,
          importance: 0.6,
          about: e ? [this.self, e.handle] : [this.self],
        });
        this.ecan.stimulate(ep, 5);
      }
    }
  }

  private placeAtom(kind: 'water' | 'food', x: number, y: number): { handle: Handle; place: RememberedPlace } {
    const k = placeKey(x, y);
    let entry = this.places.get(k);
    if (!entry || !this.store.has(entry.handle)) {
      const handle = this.store.addNode('PlaceNode', `${kind}@${k}`);
      this.protect(handle);
      this.store.addLink('InheritanceLink', [handle, this.concept(kind)]);
      entry = { handle, place: { kind, x, y, state: 'full', seen: 0 } };
      this.places.set(k, entry);
    }
    this.store.setValue(entry.handle, 'text', `the ${kind === 'water' ? 'spring' : 'food'} at ${k}`);
    return entry;
  }

  /**
   * Normalised stimulus: {@link STIMULUS_PER_TICK} split by weight over the self (bodily need), the
   * need concepts, the places serving a need (by need and nearness), and the places in view.
   */
  private stimulate(p: Percept): void {
    const { energy, hydration, pain } = p.body;
    const thirst = Math.max(0, NEED_THRESHOLD - hydration) / NEED_THRESHOLD;
    const hunger = Math.max(0, NEED_THRESHOLD - energy) / NEED_THRESHOLD;
    const weights = new Map<Handle, number>();
    const add = (h: Handle, w: number) => {
      if (w > 0) weights.set(h, (weights.get(h) ?? 0) + w);
    };
    add(this.self, 0.2 + Math.max(thirst, hunger, pain));
    add(this.concept('water'), thirst);
    add(this.concept('food'), hunger);
    add(this.concept('hazard'), pain + (this.danger.front || this.danger.here ? 0.3 : 0));
    const inView = new Set(p.sightings.map((s) => placeKey(s.x, s.y)));
    for (const [k, { handle, place }] of this.places) {
      const d = Math.abs(place.x - p.position.x) + Math.abs(place.y - p.position.y);
      const need = place.kind === 'water' ? thirst : hunger;
      // What the place is likely to give now: full, refilled by now, or not yet.
      const available = place.state === 'full' ? 1 : isAvailable(place, p.tick, this.settings.regrowth) ? 0.8 : 0.1;
      add(handle, (need * available) / (1 + d / 5) + (inView.has(k) ? 0.15 : 0));
    }
    let total = 0;
    for (const w of weights.values()) total += w;
    if (total <= 0) return;
    // Bounded and normalised: the budget grows with arousal (need, pain, danger), never past the cap.
    const arousal = Math.max(thirst, hunger, pain, this.danger.front || this.danger.here ? 0.5 : 0);
    const budget = STIMULUS_PER_TICK * (0.25 + 0.75 * arousal);
    for (const [h, w] of weights) this.ecan.stimulate(h, (budget * w) / total);
  }

  /**
   * The self's attention, in [0, 1]: its STI as a share of the most it can settle at (the whole stimulus
   * budget, every tick, ÷ the rent rate); it rises while the body keeps asking and decays by rent.
   */
  selfShare(): number {
    const ceiling = STIMULUS_PER_TICK / (MIND_ECAN.stiRentRate ?? 0.05);
    return Math.max(0, Math.min(1, this.store.getSti(this.self) / ceiling));
  }

  private concept(name: string): Handle {
    let h = this.concepts.get(name);
    if (h === undefined) {
      h = this.store.addNode('ConceptNode', name);
      this.protect(h);
      this.concepts.set(name, h);
    }
    return h;
  }

  private protect(h: Handle): void {
    const av = this.store.getAv(h);
    if (av.vlti === 0) this.store.setAv(h, av.sti, av.lti, 1);
  }
}
