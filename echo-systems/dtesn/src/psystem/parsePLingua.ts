import { syntaxError, type Token, tokenizePLingua } from './tokenizePLingua.ts';
import type { MembraneSpec, Multiset, Polarization, PSystemModel, Rule } from './types.ts';

type Env = Map<string, number>;
interface Module {
  params: string[];
  bodyStart: number;
  bodyEnd: number;
  name: Token;
}
interface PendingRule {
  start: Token;
  build: (env: Env) => Rule;
  priority: number;
  ranges: (outer: Env) => Env[];
}
type Expr = (env: Env) => number;
interface ObjTpl {
  build: (env: Env, into: Multiset) => void;
}
type MsTpl = ObjTpl[];

const NEUTRAL: Polarization = '0';
/** Guards against runaway input: nesting depth and range expansion. */
const MAX_DEPTH = 500;
const MAX_BINDINGS = 200_000;
const MAX_CALL_DEPTH = 32;

/**
 * Parses a documented subset of P-Lingua 5 into a {@link PSystemModel}.
 *
 * Supported: modules `def name(p, q) { … }` (parameters are integers), executed from
 * `def main() { … }` through `call name(3, n+1);`, with:
 * - `@model<name>` header (recorded, not enforced);
 * - `@mu = [[]'2 []'3]'1;` membrane structure, labels are names or numbers,
 *   optional polarization prefix `+`, `-`, `0` before `[`;
 * - `@ms(2) = a, b*3, x{1,2};` and `@ms(2) += …;` initial multisets (`#` = empty);
 * - objects with integer indices `x{i,j+1}` and multiplicities `a*3`;
 * - evolution `α[u --> v]'h` where v may hold `#`, `@d` (dissolve h),
 *   `[w]'j` (send w into child j) and the extension `(w, out)` / `(w, here)`;
 * - send-in `u α[]'h --> β[v]'h`, send-out `α[u]'h --> β[]'h v`,
 *   dissolution `α[u]'h --> v`, division `α[u]'h --> β[v]'h γ[w]'h`
 *   (the label after a right-hand bracket is optional);
 * - ranges after a rule or multiset: `: 1 <= i <= 3, i < j <= 4` (integers,
 *   `+ - *` and parentheses, bounds may use earlier variables);
 * - groups sharing ranges: `{ +[x{i} --> y{i}]'2; -[x{i} --> #]'2; } : 1 <= i <= 3;`;
 * - extension `@priority(p)` after a rule (higher p wins; default 0).
 * Polarizations omitted on either side mean neutral (`0`).
 * Syntax errors are `DTE_ERR_DTESN_PLINGUA_SYNTAX` with `line` and `column`.
 *
 * @example
 * ```ts
 * const model = parsePLingua(`@model<membrane_division>
 * def main() { @mu = [[]'2]'1; @ms(2) = a; [a --> b*2]'2; }`);
 * ```
 */
export function parsePLingua(src: string): PSystemModel {
  return new Parser(tokenizePLingua(src)).program();
}

class Parser {
  private pos = 0;
  private structure: MembraneSpec | null = null;
  private readonly labels = new Map<string, MembraneSpec[]>();
  private readonly rules: Rule[] = [];
  private model: string | undefined;
  private readonly modules = new Map<string, Module>();
  private baseEnv: Env = new Map();
  private callDepth = 0;

  constructor(private readonly toks: Token[]) {}

  private peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind !== 'eof' && t.text === text;
  }
  private expect(text: string): Token {
    const t = this.peek();
    if (t.text !== text || t.kind === 'eof') throw syntaxError(t, `expected '${text}' but found '${t.text}'`);
    return this.next();
  }
  private ident(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'ident') throw syntaxError(t, `expected ${what} but found '${t.text}'`);
    return this.next();
  }

  program(): PSystemModel {
    if (this.is('@model')) {
      this.next();
      this.expect('<');
      this.model = this.ident('a model name').text;
      this.expect('>');
    }
    // First pass: record every module's parameters and body tokens.
    while (this.peek().kind !== 'eof') {
      const def = this.ident("'def'");
      if (def.text !== 'def') throw syntaxError(def, `expected 'def' but found '${def.text}'`);
      const name = this.ident('a module name');
      if (this.modules.has(name.text)) throw syntaxError(name, `module '${name.text}' defined twice`);
      this.expect('(');
      const params: string[] = [];
      while (!this.is(')')) {
        if (params.length > 0) this.expect(',');
        params.push(this.ident('a parameter name').text);
      }
      this.expect(')');
      this.expect('{');
      const bodyStart = this.pos;
      let depth = 1;
      while (depth > 0) {
        const t = this.next();
        if (t.kind === 'eof') throw syntaxError(t, `expected '}' before end of input`);
        if (t.text === '{') depth++;
        else if (t.text === '}') depth--;
      }
      this.modules.set(name.text, { params, bodyStart, bodyEnd: this.pos - 1, name });
    }
    const main = this.modules.get('main');
    if (main === undefined) throw syntaxError(this.peek(), "missing 'def main()'");
    if (main.params.length > 0) throw syntaxError(main.name, "'main' takes no parameters");
    this.runModule(main, new Map());
    if (this.structure === null) throw syntaxError(this.peek(), 'missing @mu membrane structure');
    return { ...(this.model === undefined ? {} : { model: this.model }), structure: this.structure, rules: this.rules };
  }

  /** Executes a module body with its parameters bound (`call` re-reads the body tokens). */
  private runModule(mod: Module, env: Env): void {
    if (this.callDepth >= MAX_CALL_DEPTH) throw syntaxError(mod.name, `calls nested deeper than ${MAX_CALL_DEPTH}`);
    const savedPos = this.pos;
    const savedEnv = this.baseEnv;
    this.callDepth++;
    this.pos = mod.bodyStart;
    this.baseEnv = env;
    while (this.pos < mod.bodyEnd) this.statement();
    this.pos = savedPos;
    this.baseEnv = savedEnv;
    this.callDepth--;
  }

  private statement(): void {
    const t = this.peek();
    if (t.text === 'call' && t.kind === 'ident' && this.peek(1).kind === 'ident') {
      this.next();
      const name = this.ident('a module name');
      const mod = this.modules.get(name.text);
      if (mod === undefined) throw syntaxError(name, `unknown module '${name.text}'`);
      this.expect('(');
      const args: number[] = [];
      while (!this.is(')')) {
        if (args.length > 0) this.expect(',');
        args.push(this.expr()(this.baseEnv));
      }
      this.expect(')');
      this.expect(';');
      if (args.length !== mod.params.length) {
        throw syntaxError(name, `'${name.text}' takes ${mod.params.length} arguments, got ${args.length}`);
      }
      this.runModule(mod, new Map(mod.params.map((p, i) => [p, args[i]!])));
      return;
    }
    if (t.text === '@mu') {
      this.next();
      this.expect('=');
      if (this.structure !== null) throw syntaxError(t, '@mu defined twice');
      this.structure = this.membraneStructure();
      this.expect(';');
      return;
    }
    if (t.text === '@ms') {
      this.next();
      this.expect('(');
      const lt = this.peek();
      const label = this.label();
      this.expect(')');
      const op = this.peek();
      if (op.text !== '=' && op.text !== '+=') throw syntaxError(op, `expected '=' or '+=' but found '${op.text}'`);
      this.next();
      const items = this.multiset(true);
      const envs = this.ranges()(this.baseEnv);
      this.expect(';');
      const targets = this.labels.get(label);
      if (targets === undefined) throw syntaxError(lt, `@ms names unknown membrane '${label}'`);
      for (const m of targets) {
        if (op.text === '=') m.objects.clear();
        for (const env of envs) for (const it of items) it.build(env, m.objects);
      }
      return;
    }
    if (t.text === '{') {
      // A group of rules sharing ranges: { r1; r2; } : 1 <= i <= n;
      this.next();
      const group: PendingRule[] = [];
      while (!this.is('}')) {
        if (this.peek().kind === 'eof') throw syntaxError(this.peek(), `expected '}' before end of input`);
        group.push(this.rule());
      }
      this.next();
      const outer = this.ranges();
      if (this.is(';')) this.next();
      for (const env of outer(this.baseEnv)) for (const r of group) this.emit(r, env);
      return;
    }
    this.emit(this.rule(), this.baseEnv);
  }

  /** A membrane label: a name, a number, or a module parameter holding a number. */
  private label(): string {
    const t = this.peek();
    if (t.kind !== 'ident' && t.kind !== 'number') {
      throw syntaxError(t, `expected a membrane label but found '${t.text}'`);
    }
    this.next();
    const bound = t.kind === 'ident' ? this.baseEnv.get(t.text) : undefined;
    return bound === undefined ? t.text : String(bound);
  }

  private polarization(): Polarization | null {
    const t = this.peek();
    if ((t.text === '+' || t.text === '-' || t.text === '0') && this.is('[', 1)) {
      this.next();
      return t.text as Polarization;
    }
    return null;
  }

  private membraneStructure(depth = 0): MembraneSpec {
    if (depth > MAX_DEPTH) throw syntaxError(this.peek(), `membranes nested deeper than ${MAX_DEPTH}`);
    const pol = this.polarization() ?? NEUTRAL;
    this.expect('[');
    const children: MembraneSpec[] = [];
    while (!this.is(']')) {
      if (this.peek().kind === 'eof') throw syntaxError(this.peek(), `expected ']' before end of input`);
      children.push(this.membraneStructure(depth + 1));
    }
    this.expect(']');
    this.expect("'");
    const spec: MembraneSpec = { label: this.label(), polarization: pol, objects: new Map(), children };
    const same = this.labels.get(spec.label) ?? [];
    same.push(spec);
    this.labels.set(spec.label, same);
    return spec;
  }

  // ----- expressions -----
  private expr(): Expr {
    let left = this.term();
    while (this.is('+') || this.is('-')) {
      const op = this.next().text;
      const a = left;
      const b = this.term();
      left = op === '+' ? (e) => a(e) + b(e) : (e) => a(e) - b(e);
    }
    return left;
  }
  private term(): Expr {
    let left = this.factor();
    while (this.is('*')) {
      this.next();
      const a = left;
      const b = this.factor();
      left = (e) => a(e) * b(e);
    }
    return left;
  }
  private exprDepth = 0;

  private factor(): Expr {
    const t = this.next();
    if (++this.exprDepth > MAX_DEPTH) throw syntaxError(t, `expression nested deeper than ${MAX_DEPTH}`);
    try {
      return this.factorInner(t);
    } finally {
      this.exprDepth--;
    }
  }

  private factorInner(t: Token): Expr {
    if (t.kind === 'number') {
      const v = Number(t.text);
      return () => v;
    }
    if (t.text === '-' && t.kind === 'punct') {
      const f = this.factor();
      return (e) => -f(e);
    }
    if (t.text === '(') {
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    if (t.kind === 'ident') {
      return (e) => {
        const v = e.get(t.text);
        if (v === undefined) throw syntaxError(t, `unbound variable '${t.text}'`);
        return v;
      };
    }
    throw syntaxError(t, `expected an integer expression but found '${t.text}'`);
  }

  // ----- objects and multisets -----
  private object(): ObjTpl {
    const name = this.ident('an object');
    const idx: Expr[] = [];
    if (this.is('{')) {
      this.next();
      idx.push(this.expr());
      while (this.is(',')) {
        this.next();
        idx.push(this.expr());
      }
      this.expect('}');
    }
    let mult: Expr | null = null;
    if (this.is('*')) {
      this.next();
      mult = this.factor();
    }
    return {
      build: (env, into) => {
        const key = idx.length === 0 ? name.text : `${name.text}{${idx.map((f) => f(env)).join(',')}}`;
        const k = mult === null ? 1 : mult(env);
        if (!Number.isInteger(k) || k < 0) throw syntaxError(name, `multiplicity must be a non-negative integer`);
        if (k > 0) into.set(key, (into.get(key) ?? 0) + k);
      },
    };
  }

  /** Comma-separated objects, or '#' for the empty multiset. */
  private multiset(required: boolean): MsTpl {
    if (this.is('#')) {
      this.next();
      return [];
    }
    if (this.peek().kind !== 'ident') {
      if (required) throw syntaxError(this.peek(), `expected objects or '#' but found '${this.peek().text}'`);
      return [];
    }
    const items = [this.object()];
    while (this.is(',') && this.peek(1).kind === 'ident') {
      this.next();
      items.push(this.object());
    }
    return items;
  }

  /** Parses optional ranges; the result expands them inside an outer binding. */
  private ranges(): (outer: Env) => Env[] {
    if (!this.is(':')) return (outer) => [new Map(outer)];
    const colon = this.next();
    const conds: { lo: Expr; loStrict: boolean; v: string; hi: Expr; hiStrict: boolean }[] = [];
    const seen = new Set<string>();
    for (;;) {
      const lo = this.expr();
      const op1 = this.next();
      if (op1.text !== '<=' && op1.text !== '<') throw syntaxError(op1, `expected '<=' or '<' but found '${op1.text}'`);
      const v = this.ident('a range variable');
      if (seen.has(v.text)) throw syntaxError(v, `variable '${v.text}' ranged twice`);
      seen.add(v.text);
      const op2 = this.next();
      if (op2.text !== '<=' && op2.text !== '<') throw syntaxError(op2, `expected '<=' or '<' but found '${op2.text}'`);
      const hi = this.expr();
      conds.push({ lo, loStrict: op1.text === '<', v: v.text, hi, hiStrict: op2.text === '<' });
      if (!this.is(',')) break;
      this.next();
    }
    const envs: Env[] = [];
    const walk = (k: number, env: Env): void => {
      if (k === conds.length) {
        if (envs.length >= MAX_BINDINGS)
          throw syntaxError(colon, `ranges expand to more than ${MAX_BINDINGS} bindings`);
        envs.push(new Map(env));
        return;
      }
      const c = conds[k]!;
      const lo = c.lo(env) + (c.loStrict ? 1 : 0);
      const hi = c.hi(env) - (c.hiStrict ? 1 : 0);
      for (let v = lo; v <= hi; v++) {
        env.set(c.v, v);
        walk(k + 1, env);
      }
      env.delete(c.v);
    };
    return (outer) => {
      envs.length = 0;
      walk(0, new Map(outer));
      return envs.slice();
    };
  }

  // ----- rules -----
  private rule(): PendingRule {
    const start = this.peek();
    let outside: MsTpl = [];
    if (start.kind === 'ident') outside = this.multiset(true);
    const pol = this.polarization() ?? NEUTRAL;
    this.expect('[');
    const inside = this.multiset(false);
    let build: (env: Env) => Rule;
    if (this.is('-->')) {
      if (outside.length > 0) throw syntaxError(this.peek(), 'an evolution rule cannot consume objects outside');
      this.next();
      build = this.evolution(pol, inside);
    } else {
      this.expect(']');
      this.expect("'");
      const labelTok = this.peek();
      const label = this.label();
      this.expect('-->');
      build = this.membraneRule(labelTok, label, pol, outside, inside);
    }
    let priority = 0;
    if (this.is('@priority')) {
      this.next();
      this.expect('(');
      priority = this.expr()(this.baseEnv);
      this.expect(')');
    }
    const ranges = this.ranges();
    const semi = this.peek();
    if (!this.is(';')) throw syntaxError(semi, `expected ';' but found '${semi.text}'`);
    this.next();
    return { start, build, priority, ranges };
  }

  /** Instantiates a parsed rule for every binding of its ranges inside `outer`. */
  private emit(pending: PendingRule, outer: Env): void {
    const { start, build, priority, ranges } = pending;
    for (const env of ranges(outer)) {
      const r = build(env);
      r.priority = priority;
      if (!this.labels.has(r.label)) throw syntaxError(start, `rule names unknown membrane '${r.label}'`);
      if (r.kind !== 'communication' && r.lhs.size === 0) {
        throw syntaxError(start, 'a rule needs a non-empty left-hand side');
      }
      if (r.kind === 'communication' && r.insideLhs.size + r.outsideLhs.size === 0) {
        throw syntaxError(start, 'a rule needs a non-empty left-hand side');
      }
      r.source = `${start.line}:${start.column}`;
      this.rules.push(r);
      if (this.rules.length > MAX_BINDINGS) throw syntaxError(start, `more than ${MAX_BINDINGS} rules`);
    }
  }

  private evolution(pol: Polarization, lhs: MsTpl): (env: Env) => Rule {
    const here: MsTpl = [];
    const out: MsTpl = [];
    const into: { label: string; tok: Token; ms: MsTpl }[] = [];
    let dissolve = false;
    for (;;) {
      const t = this.peek();
      if (t.text === '@d') {
        this.next();
        dissolve = true;
      } else if (t.text === '#') {
        this.next();
      } else if (t.kind === 'ident') {
        here.push(this.object());
      } else if (t.text === '[') {
        this.next();
        const ms = this.multiset(false);
        this.expect(']');
        this.expect("'");
        const tok = this.peek();
        into.push({ label: this.label(), tok, ms });
      } else if (t.text === '(') {
        this.next();
        // Objects up to the last comma; the word after it is the target.
        const ms: MsTpl = [this.object()];
        this.expect(',');
        while (this.peek().kind === 'ident' && !['out', 'here', 'in'].includes(this.peek().text)) {
          ms.push(this.object());
          this.expect(',');
        }
        const target = this.ident("'out', 'here' or 'in'");
        if (target.text === 'out') out.push(...ms);
        else if (target.text === 'here') here.push(...ms);
        else if (target.text === 'in') {
          const tok = this.peek();
          into.push({ label: this.label(), tok, ms });
        } else throw syntaxError(target, `unknown target '${target.text}'`);
        this.expect(')');
      } else throw syntaxError(t, `unexpected '${t.text}' in a rule's right-hand side`);
      if (this.is(',')) this.next();
      else break;
    }
    this.expect(']');
    this.expect("'");
    const label = this.label();
    for (const i of into) {
      if (!this.labels.has(i.label)) throw syntaxError(i.tok, `target names unknown membrane '${i.label}'`);
    }
    return (env) => {
      const ms = (tpl: MsTpl): Multiset => {
        const m: Multiset = new Map();
        for (const o of tpl) o.build(env, m);
        return m;
      };
      const intoMap = new Map<string, Multiset>();
      for (const i of into) {
        const m = intoMap.get(i.label) ?? new Map();
        for (const o of i.ms) o.build(env, m);
        intoMap.set(i.label, m);
      }
      return {
        kind: 'evolution',
        label,
        polarization: pol,
        priority: 0,
        lhs: ms(lhs),
        here: ms(here),
        out: ms(out),
        into: intoMap,
        dissolve,
      };
    };
  }

  private rhsMembrane(label: string): { pol: Polarization; ms: MsTpl } {
    const pol = this.polarization() ?? NEUTRAL;
    this.expect('[');
    const ms = this.multiset(false);
    this.expect(']');
    if (this.is("'")) {
      this.next();
      const t = this.peek();
      const l = this.label();
      if (l !== label) throw syntaxError(t, `right-hand membrane '${l}' must keep the label '${label}'`);
    }
    return { pol, ms };
  }

  private membraneRule(
    labelTok: Token,
    label: string,
    pol: Polarization,
    outside: MsTpl,
    inside: MsTpl,
  ): (env: Env) => Rule {
    const build = (tpl: MsTpl, env: Env): Multiset => {
      const m: Multiset = new Map();
      for (const o of tpl) o.build(env, m);
      return m;
    };
    const startsMembrane = (): boolean =>
      this.is('[') || ((this.is('+') || this.is('-') || this.is('0')) && this.is('[', 1));
    if (!startsMembrane()) {
      // Dissolution: [u]'h --> v
      if (outside.length > 0) throw syntaxError(labelTok, 'a dissolution rule cannot consume objects outside');
      const rhs = this.multiset(true);
      return (env) => ({
        kind: 'dissolution',
        label,
        polarization: pol,
        priority: 0,
        lhs: build(inside, env),
        rhs: build(rhs, env),
      });
    }
    const first = this.rhsMembrane(label);
    if (startsMembrane()) {
      if (outside.length > 0) throw syntaxError(labelTok, 'a division rule cannot consume objects outside');
      const second = this.rhsMembrane(label);
      return (env) => ({
        kind: 'division',
        label,
        polarization: pol,
        priority: 0,
        lhs: build(inside, env),
        left: { polarization: first.pol, objects: build(first.ms, env) },
        right: { polarization: second.pol, objects: build(second.ms, env) },
      });
    }
    const after = this.multiset(false);
    return (env) => ({
      kind: 'communication',
      label,
      polarization: pol,
      priority: 0,
      outsideLhs: build(outside, env),
      insideLhs: build(inside, env),
      insideRhs: build(first.ms, env),
      outsideRhs: build(after, env),
      newPolarization: first.pol,
    });
  }
}
