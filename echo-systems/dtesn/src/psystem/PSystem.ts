import { createPrng, type Prng } from '@dte/echo-kit';
import { dtesnError } from '../DtesnError.ts';
import {
  addMultiset,
  type CommunicationRule,
  type DissolutionRule,
  type DivisionRule,
  type EvolutionRule,
  type MembraneSpec,
  type Multiset,
  type Polarization,
  type PSystemModel,
  type Rule,
  removeMultiset,
  timesContained,
} from './types.ts';

/** A live membrane of a running P system. */
export interface Membrane {
  readonly id: number;
  readonly label: string;
  polarization: Polarization;
  objects: Multiset;
  parent: Membrane | null;
  children: Membrane[];
}

/** The objects a rule consumes inside its membrane. */
function consumed(r: Rule): Multiset {
  return r.kind === 'communication' ? r.insideLhs : r.lhs;
}

/** Two rules compete when they consume a common object (priorities only order competitors). */
function competes(a: Rule, b: Rule): boolean {
  const lb = consumed(b);
  for (const o of consumed(a).keys()) if (lb.has(o)) return true;
  return false;
}

type MembraneRule = CommunicationRule | DissolutionRule | DivisionRule;

interface Pending {
  membrane: Membrane;
  rule: Rule;
  count: number;
}

/** What one step did. */
export interface StepReport {
  /** Rule applications (rule, membrane id, times). */
  applied: { rule: Rule; membrane: number; count: number }[];
}

/**
 * A cell-like P system with active membranes, simulated with P-Lingua's
 * semantics: each step is maximally parallel and non-deterministic (seeded).
 *
 * Selection (against the configuration at the start of the step):
 *  1. membranes in random order each pick at most one membrane rule
 *     (communication, dissolution, division) among those applicable;
 *  2. then, per membrane in random order, evolution rules in random order are
 *     each applied as many times as the remaining objects allow (so the
 *     selected multiset of rules is maximal).
 *  A rule is blocked while an applicable higher-priority rule of its membrane
 *  competes with it (consumes a common object): Păun's strong priority, per object.
 * Execution: evolution and communication products are placed, then divisions
 * copy the (already evolved) membranes, then dissolutions run innermost first.
 * The system halts when a step selects nothing.
 *
 * @example
 * ```ts
 * const ps = new PSystem(parsePLingua(text), 42);
 * ps.run(1000);
 * ps.environment; // objects sent out of the skin
 * ```
 */
export class PSystem {
  readonly skin: Membrane;
  /** Objects sent out of the skin. */
  readonly environment: Multiset = new Map();
  private readonly rng: Prng;
  private readonly byKey = new Map<string, Rule[]>();
  private nextId = 0;
  private numSteps = 0;
  private isHalted = false;

  constructor(model: PSystemModel, seed = 0) {
    this.rng = createPrng(seed);
    for (const r of model.rules) {
      const key = `${r.label}|${r.polarization}`;
      const list = this.byKey.get(key) ?? [];
      list.push(r);
      this.byKey.set(key, list);
    }
    this.skin = this.build(model.structure, null);
    for (const r of model.rules) {
      if (r.kind === 'dissolution' || r.kind === 'division' || (r.kind === 'evolution' && r.dissolve)) {
        if (r.label === this.skin.label) {
          throw dtesnError('DTE_ERR_DTESN_PSYSTEM_INVALID', `the skin '${r.label}' cannot dissolve or divide`);
        }
      }
    }
  }

  private build(spec: MembraneSpec, parent: Membrane | null): Membrane {
    const m: Membrane = {
      id: this.nextId++,
      label: spec.label,
      polarization: spec.polarization,
      objects: new Map(spec.objects),
      parent,
      children: [],
    };
    m.children = spec.children.map((c) => this.build(c, m));
    return m;
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.numSteps;
  }

  /** True once a step found no applicable rule. */
  get halted(): boolean {
    return this.isHalted;
  }

  /** Every membrane, preorder. */
  membranes(): Membrane[] {
    const out: Membrane[] = [];
    const walk = (m: Membrane): void => {
      out.push(m);
      for (const c of m.children) walk(c);
    };
    walk(this.skin);
    return out;
  }

  /** Membranes with the given label. */
  find(label: string): Membrane[] {
    return this.membranes().filter((m) => m.label === label);
  }

  private shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.rng.nextInt(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }

  private applicable(r: Rule, m: Membrane): boolean {
    switch (r.kind) {
      case 'evolution':
        if (r.dissolve && m.parent === null) return false;
        for (const lbl of r.into.keys()) if (!m.children.some((c) => c.label === lbl)) return false;
        return timesContained(r.lhs, m.objects) > 0;
      case 'communication':
        if (r.outsideLhs.size > 0 && (m.parent === null || timesContained(r.outsideLhs, m.parent.objects) === 0)) {
          return false;
        }
        return timesContained(r.insideLhs, m.objects) > 0;
      case 'dissolution':
        return m.parent !== null && timesContained(r.lhs, m.objects) > 0;
      case 'division':
        return m.parent !== null && m.children.length === 0 && timesContained(r.lhs, m.objects) > 0;
    }
  }

  /** Rules of m not blocked by an applicable rule of higher priority. */
  private enabledRules(m: Membrane): Rule[] {
    const rules = this.byKey.get(`${m.label}|${m.polarization}`);
    if (rules === undefined) return [];
    const ok = rules.filter((r) => this.applicable(r, m));
    if (ok.length === 0) return ok;
    let top = Number.NEGATIVE_INFINITY;
    for (const r of ok) top = Math.max(top, r.priority);
    return ok.filter((r) => r.priority === top || !ok.some((h) => h.priority > r.priority && competes(h, r)));
  }

  /** Runs one maximally parallel step; returns what was applied (empty when halted). */
  step(): StepReport {
    if (this.isHalted) return { applied: [] };
    const all = this.membranes();
    // Enabled rules per membrane are decided on the start configuration.
    const enabled = new Map<Membrane, Rule[]>();
    for (const m of all) enabled.set(m, this.enabledRules(m));
    const pending: Pending[] = [];
    // 1. Membrane rules: at most one per membrane.
    for (const m of this.shuffle(all.slice())) {
      const cands = enabled
        .get(m)!
        .filter((r): r is MembraneRule => r.kind !== 'evolution')
        .filter((r) => this.stillFits(r, m));
      if (cands.length === 0) continue;
      const r = cands[this.rng.nextInt(cands.length)]!;
      if (r.kind === 'communication') {
        removeMultiset(m.objects, r.insideLhs);
        if (r.outsideLhs.size > 0) removeMultiset(m.parent!.objects, r.outsideLhs);
      } else removeMultiset(m.objects, r.lhs);
      pending.push({ membrane: m, rule: r, count: 1 });
    }
    // 2. Evolution rules, maximally.
    for (const m of this.shuffle(all.slice())) {
      const evo = this.shuffle(enabled.get(m)!.filter((r): r is EvolutionRule => r.kind === 'evolution'));
      for (const r of evo) {
        const n = timesContained(r.lhs, m.objects);
        if (n === 0 || n === Number.POSITIVE_INFINITY) continue;
        removeMultiset(m.objects, r.lhs, n);
        pending.push({ membrane: m, rule: r, count: n });
      }
    }
    if (pending.length === 0) {
      this.isHalted = true;
      return { applied: [] };
    }
    this.execute(pending);
    this.numSteps++;
    return { applied: pending.map((p) => ({ rule: p.rule, membrane: p.membrane.id, count: p.count })) };
  }

  private stillFits(r: MembraneRule, m: Membrane): boolean {
    if (r.kind === 'communication') {
      if (r.outsideLhs.size > 0 && timesContained(r.outsideLhs, m.parent!.objects) === 0) return false;
      return timesContained(r.insideLhs, m.objects) > 0;
    }
    return timesContained(r.lhs, m.objects) > 0;
  }

  private sendOut(m: Membrane, objs: Multiset, count = 1): void {
    addMultiset(m.parent === null ? this.environment : m.parent.objects, objs, count);
  }

  private execute(pending: Pending[]): void {
    const divisions: { m: Membrane; r: DivisionRule }[] = [];
    const dissolving = new Map<Membrane, Multiset>();
    // Non-division rules: place products.
    for (const { membrane: m, rule: r, count } of pending) {
      switch (r.kind) {
        case 'evolution': {
          addMultiset(m.objects, r.here, count);
          if (r.out.size > 0) this.sendOut(m, r.out, count);
          for (const [lbl, objs] of r.into) {
            const targets = m.children.filter((c) => c.label === lbl);
            if (targets.length === 1) addMultiset(targets[0]!.objects, objs, count);
            else for (let i = 0; i < count; i++) addMultiset(targets[this.rng.nextInt(targets.length)]!.objects, objs);
          }
          if (r.dissolve) dissolving.set(m, dissolving.get(m) ?? new Map());
          break;
        }
        case 'communication':
          addMultiset(m.objects, r.insideRhs);
          if (r.outsideRhs.size > 0) this.sendOut(m, r.outsideRhs);
          m.polarization = r.newPolarization;
          break;
        case 'dissolution':
          dissolving.set(m, r.rhs);
          break;
        case 'division':
          divisions.push({ m, r });
          break;
      }
    }
    // Division: the evolved contents are copied into both new membranes.
    for (const { m, r } of divisions) {
      const copy: Membrane = {
        id: this.nextId++,
        label: m.label,
        polarization: r.right.polarization,
        objects: new Map(m.objects),
        parent: m.parent,
        children: [],
      };
      addMultiset(copy.objects, r.right.objects);
      addMultiset(m.objects, r.left.objects);
      m.polarization = r.left.polarization;
      const siblings = m.parent!.children;
      siblings.splice(siblings.indexOf(m) + 1, 0, copy);
    }
    // Dissolution, innermost first so nested dissolutions cascade to the right parent.
    const depth = (m: Membrane): number => (m.parent === null ? 0 : 1 + depth(m.parent));
    const order = [...dissolving.keys()].sort((a, b) => depth(b) - depth(a));
    for (const m of order) {
      const parent = m.parent!;
      addMultiset(parent.objects, m.objects);
      addMultiset(parent.objects, dissolving.get(m)!);
      const siblings = parent.children;
      siblings.splice(siblings.indexOf(m), 1, ...m.children);
      for (const c of m.children) c.parent = parent;
    }
  }

  /** Steps until halting; throws DTE_ERR_DTESN_STEP_LIMIT after `maxSteps`. */
  run(maxSteps: number): number {
    while (!this.isHalted) {
      if (this.numSteps >= maxSteps) throw dtesnError('DTE_ERR_DTESN_STEP_LIMIT', 'PSystem.run', maxSteps);
      this.step();
    }
    return this.numSteps;
  }
}
