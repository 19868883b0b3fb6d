import { type SchemaNode, TOOL_CALL_HEAD, TOOL_CALL_MID } from './compileSchema.ts';

/**
 * One frame of the pushdown automaton. `t` names the construct; phases are small integers.
 * Frames are immutable: a step builds new frames (or returns the same stack when nothing changed).
 */
type Frame =
  | { t: 'root'; node: SchemaNode; isDone: boolean }
  | { t: 'str'; ph: number } // 0 plain, 1 after '\', 2..5 = hex digits left + 1, 10+k = UTF-8 continuations left
  | { t: 'num'; ph: NumPhase; n: number; isInt: boolean }
  | { t: 'lit'; vals: Uint8Array[]; alive: number[]; pos: number }
  | { t: 'obj'; node: ObjectNode; ph: ObjPhase; j: number; alive: number[]; pos: number; sp?: true }
  | { t: 'fobj'; ph: FreePhase; sp?: true }
  | { t: 'arr'; node: ArrayNode; ph: ArrPhase; c: number; sp?: true }
  | { t: 'tool'; node: ToolNode; ph: number; pos: number; alive: number[]; k: number }; // ph: 0 head, 1 name, 2 mid, 3 args, 4 '}'

type ObjectNode = Extract<SchemaNode, { kind: 'object' }>;
type ArrayNode = Extract<SchemaNode, { kind: 'array' }>;
type ToolNode = Extract<SchemaNode, { kind: 'toolCall' }>;
/** first: after '{'; key: inside a declared key; colon; val: expecting a value; after: ',' or '}'; next: after ','. */
type ObjPhase = 0 | 1 | 2 | 3 | 4 | 5;
const O_FIRST = 0;
const O_KEY = 1;
const O_COLON = 2;
const O_VAL = 3;
const O_AFTER = 4;
const O_NEXT = 5;
type FreePhase = 0 | 2 | 3 | 4 | 5;
/** first: after '['; after: ',' or ']'; val: after ','. */
type ArrPhase = 0 | 1 | 2;
const A_FIRST = 0;
const A_AFTER = 1;
const A_VAL = 2;
/** start, after '-', zero, int digits, '.', frac digits, 'e', exp sign, exp digits. */
type NumPhase = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
const MAX_DIGITS = 15;
const MAX_EXP_DIGITS = 2;

/**
 * A state of the automaton: a persistent stack of frames with the shortest completion length.
 * Documents are compact JSON, except that one optional space may follow a `:` or a `,` (the habit
 * of most models: `{"a": 1, "b": 2}`); the shortest completion never uses it.
 */
export interface JsonState {
  readonly f: Frame;
  readonly up: JsonState | null;
  /** Fewest bytes that complete the document from here. */
  readonly dist: number;
  /** Cache key (computed on demand). */
  key?: string;
}

const nodeIds = new WeakMap<object, number>();
let nextNodeId = 0;
function nodeId(node: object): number {
  let id = nodeIds.get(node);
  if (id === undefined) {
    id = nextNodeId++;
    nodeIds.set(node, id);
  }
  return id;
}

/** Per-object-node tables: `rest[j + 1]` = bytes to close after property j; `entry[k]` = bytes from key k on. */
interface ObjTables {
  rest: number[];
  entry: number[];
}
const objTables = new WeakMap<ObjectNode, ObjTables>();
function tablesOf(node: ObjectNode): ObjTables {
  let t = objTables.get(node);
  if (t !== undefined) return t;
  const ps = node.properties;
  const rest = new Array<number>(ps.length + 1);
  rest[ps.length] = 1;
  for (let j = ps.length - 1; j >= -1; j--) {
    // rest after j: the required properties after j, each with its comma, then '}'.
    let r = 1;
    for (let k = j + 1; k < ps.length; k++) {
      const p = ps[k]!;
      if (p.isRequired) r += 1 + p.keyBytes.length + 1 + p.node.minLen;
    }
    rest[j + 1] = r;
  }
  const entry = ps.map((p, k) => p.keyBytes.length + 1 + p.node.minLen + rest[k + 1]!);
  t = { rest, entry };
  objTables.set(node, t);
  return t;
}

/** Property indices a key may name next, from `from` up to and including the first required one. */
function keyRange(node: ObjectNode, from: number): number[] {
  const out: number[] = [];
  for (let k = from; k < node.properties.length; k++) {
    out.push(k);
    if (node.properties[k]!.isRequired) break;
  }
  return out;
}

function frameDist(f: Frame): number {
  switch (f.t) {
    case 'root':
      return f.isDone ? 0 : f.node.minLen;
    case 'str':
      return f.ph === 0 ? 1 : f.ph === 1 ? 2 : f.ph < 10 ? f.ph : f.ph - 10 + 1;
    case 'num':
      return f.ph === 2 || f.ph === 3 || f.ph === 5 || f.ph === 8 ? 0 : 1;
    case 'lit': {
      let m = Number.POSITIVE_INFINITY;
      for (const i of f.alive) m = Math.min(m, f.vals[i]!.length - f.pos);
      return m;
    }
    case 'fobj':
      return f.ph === O_FIRST ? 1 : f.ph === O_COLON ? 3 : f.ph === O_VAL ? 2 : f.ph === O_AFTER ? 1 : 5;
    case 'obj': {
      const tb = tablesOf(f.node);
      const ps = f.node.properties;
      switch (f.ph) {
        case O_FIRST: {
          let m = ps.some((p) => p.isRequired) ? Number.POSITIVE_INFINITY : 1;
          for (const k of keyRange(f.node, 0)) m = Math.min(m, tb.entry[k]!);
          return m;
        }
        case O_KEY: {
          let m = Number.POSITIVE_INFINITY;
          for (const k of f.alive) m = Math.min(m, tb.entry[k]! - f.pos);
          return m;
        }
        case O_COLON:
          return 1 + ps[f.j]!.node.minLen + tb.rest[f.j + 1]!;
        case O_VAL:
          return ps[f.j]!.node.minLen + tb.rest[f.j + 1]!;
        case O_AFTER:
          return tb.rest[f.j + 1]!;
        default: {
          let m = Number.POSITIVE_INFINITY;
          for (const k of keyRange(f.node, f.j + 1)) m = Math.min(m, tb.entry[k]!);
          return m;
        }
      }
    }
    case 'tool': {
      const { names, args } = f.node;
      const rest = (k: number): number => TOOL_CALL_MID.length + args[k]!.minLen + 1;
      if (f.ph === 0) {
        let m = Number.POSITIVE_INFINITY;
        names.forEach((n, k) => {
          m = Math.min(m, n.length + rest(k));
        });
        return TOOL_CALL_HEAD.length - f.pos + m;
      }
      if (f.ph === 1) {
        let m = Number.POSITIVE_INFINITY;
        for (const k of f.alive) m = Math.min(m, names[k]!.length - f.pos + rest(k));
        return m;
      }
      if (f.ph === 2) return rest(f.k) - f.pos;
      return f.ph === 3 ? args[f.k]!.minLen + 1 : 1;
    }
    case 'arr': {
      const item = f.node.items.minLen;
      const left = Math.max(0, f.node.minItems - f.c);
      if (f.ph === A_FIRST) return left === 0 ? 1 : left * item + (left - 1) + 1;
      if (f.ph === A_AFTER) return left === 0 ? 1 : left * (1 + item) + 1;
      return item + (left <= 1 ? 1 : (left - 1) * (1 + item) + 1);
    }
  }
}

function push(up: JsonState | null, f: Frame): JsonState {
  return { f, up, dist: (up?.dist ?? 0) + frameDist(f) };
}

/** The start state for a document of `node`. */
export function initialJsonState(node: SchemaNode): JsonState {
  return push(null, { t: 'root', node, isDone: false });
}

/** Cache key of a state: equal keys, equal futures. */
export function jsonStateKey(s: JsonState): string {
  if (s.key !== undefined) return s.key;
  const f = s.f;
  let k: string;
  switch (f.t) {
    case 'root':
      k = `R${nodeId(f.node)}${f.isDone ? 'd' : ''}`;
      break;
    case 'str':
      k = `s${f.ph}`;
      break;
    case 'num':
      k = `n${f.ph}.${f.n}${f.isInt ? 'i' : ''}`;
      break;
    case 'lit':
      k = `l${nodeId(f.vals)}.${f.pos}.${f.alive.join(',')}`;
      break;
    case 'obj':
      k = `o${nodeId(f.node)}.${f.ph}.${f.j}.${f.pos}.${f.alive.join(',')}`;
      break;
    case 'fobj':
      k = `f${f.ph}`;
      break;
    case 'arr':
      k = `a${nodeId(f.node)}.${f.ph}.${f.c}`;
      break;
    case 'tool':
      k = `t${nodeId(f.node)}.${f.ph}.${f.pos}.${f.k}.${f.alive.join(',')}`;
      break;
  }
  if ((f.t === 'obj' || f.t === 'fobj' || f.t === 'arr') && f.sp) k += 's';
  s.key = s.up === null ? k : `${jsonStateKey(s.up)}|${k}`;
  return s.key;
}

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

/** Consumes the first byte of a value of `node` whose parent (already advanced) is `up`. */
function startValue(node: SchemaNode, b: number, up: JsonState): JsonState | null {
  switch (node.kind) {
    case 'any':
      if (b === 0x7b) return push(up, { t: 'fobj', ph: O_FIRST });
      if (b === 0x5b) return push(up, { t: 'arr', node: ANY_ARRAY, ph: A_FIRST, c: 0 });
      if (b === 0x22) return push(up, { t: 'str', ph: 0 });
      if (b === 0x2d || isDigit(b)) return startNumber(b, false, up);
      if (b === 0x74 || b === 0x66) return stepLiteral(BOOL_VALUES, [0, 1], 0, b, up);
      if (b === 0x6e) return stepLiteral(NULL_VALUES, [0], 0, b, up);
      return null;
    case 'object':
      if (b !== 0x7b) return null;
      return push(
        up,
        node.isFree ? { t: 'fobj', ph: O_FIRST } : { t: 'obj', node, ph: O_FIRST, j: -1, alive: [], pos: 0 },
      );
    case 'array':
      return b === 0x5b ? push(up, { t: 'arr', node, ph: A_FIRST, c: 0 }) : null;
    case 'string':
      return b === 0x22 ? push(up, { t: 'str', ph: 0 }) : null;
    case 'number':
    case 'integer':
      return b === 0x2d || isDigit(b) ? startNumber(b, node.kind === 'integer', up) : null;
    case 'boolean':
      return stepLiteral(BOOL_VALUES, [0, 1], 0, b, up);
    case 'null':
      return stepLiteral(NULL_VALUES, [0], 0, b, up);
    case 'literal':
      return stepLiteral(
        node.values,
        node.values.map((_, i) => i),
        0,
        b,
        up,
      );
    case 'toolCall':
      return b === TOOL_CALL_HEAD[0] ? push(up, { t: 'tool', node, ph: 0, pos: 1, alive: [], k: -1 }) : null;
    case 'union':
      for (const o of node.options) {
        const s = startValue(o, b, up);
        if (s !== null) return s;
      }
      return null;
  }
}

const enc = new TextEncoder();
const BOOL_VALUES = [enc.encode('true'), enc.encode('false')];
const NULL_VALUES = [enc.encode('null')];
const ANY_ARRAY: ArrayNode = {
  kind: 'array',
  minLen: 2,
  items: { kind: 'any', minLen: 1 },
  minItems: 0,
  maxItems: Number.POSITIVE_INFINITY,
};

function startNumber(b: number, isInt: boolean, up: JsonState): JsonState {
  if (b === 0x2d) return push(up, { t: 'num', ph: 1, n: 0, isInt });
  return push(up, b === 0x30 ? { t: 'num', ph: 2, n: 1, isInt } : { t: 'num', ph: 3, n: 1, isInt });
}

/** Matches byte `b` at `pos` of the alive candidates; pops at once when one is complete and none is longer. */
function stepLiteral(vals: Uint8Array[], alive: number[], pos: number, b: number, up: JsonState): JsonState | null {
  const next: number[] = [];
  let isComplete = false;
  let isLonger = false;
  for (const i of alive) {
    const v = vals[i]!;
    if (pos < v.length && v[pos] === b) {
      next.push(i);
      if (v.length === pos + 1) isComplete = true;
      else isLonger = true;
    }
  }
  if (next.length === 0) return null;
  if (isComplete && !isLonger) return up;
  return push(up, { t: 'lit', vals, alive: next, pos: pos + 1 });
}

/** True when the frame may end here without another byte (a number or an ambiguous literal). */
function isAccepting(f: Frame): boolean {
  if (f.t === 'num') return f.ph === 2 || f.ph === 3 || f.ph === 5 || f.ph === 8;
  if (f.t === 'lit') return f.alive.some((i) => f.vals[i]!.length === f.pos);
  return false;
}

/** True when the document may end here (EOS allowed). */
export function canEndJson(s: JsonState): boolean {
  let cur: JsonState | null = s;
  while (cur !== null) {
    if (cur.f.t === 'root') return cur.f.isDone;
    if (!isAccepting(cur.f)) return false;
    cur = cur.up;
  }
  return false;
}

/** True when nothing but the end of the document may follow. */
export function isJsonDone(s: JsonState): boolean {
  return s.f.t === 'root' && s.f.isDone;
}

/** Advances by one byte; null when the byte is not allowed here. */
export function stepJson(s: JsonState, b: number): JsonState | null {
  const f = s.f;
  const up = s.up;
  switch (f.t) {
    case 'root':
      if (f.isDone) return null;
      return startValue(f.node, b, push(null, { t: 'root', node: f.node, isDone: true }));
    case 'str':
      return stepString(s, f.ph, b);
    case 'num': {
      const n = stepNumber(f, b, up!);
      if (n !== null) return n;
      return isAccepting(f) ? stepJson(up!, b) : null;
    }
    case 'lit': {
      const n = stepLiteral(f.vals, f.alive, f.pos, b, up!);
      if (n !== null) return n;
      return isAccepting(f) ? stepJson(up!, b) : null;
    }
    case 'fobj':
      if (b === 0x20 && !f.sp && (f.ph === O_VAL || f.ph === O_NEXT)) return push(up, { ...f, sp: true });
      return stepFreeObject(f.ph, b, up!);
    case 'obj':
      if (b === 0x20 && !f.sp && (f.ph === O_VAL || f.ph === O_NEXT)) return push(up, { ...f, sp: true });
      return stepObject(f, b, up!);
    case 'arr':
      if (b === 0x20 && !f.sp && f.ph === A_VAL) return push(up, { ...f, sp: true });
      return stepArray(f, b, up!);
    case 'tool':
      return stepToolCall(f, b, up!);
  }
}

function stepToolCall(f: Extract<Frame, { t: 'tool' }>, b: number, up: JsonState): JsonState | null {
  const node = f.node;
  const to = (ph: number, pos: number, alive: number[], k: number): JsonState =>
    push(up, { t: 'tool', node, ph, pos, alive, k });
  switch (f.ph) {
    case 0:
      if (TOOL_CALL_HEAD[f.pos] !== b) return null;
      return f.pos + 1 === TOOL_CALL_HEAD.length
        ? to(
            1,
            0,
            node.names.map((_, i) => i),
            -1,
          )
        : to(0, f.pos + 1, [], -1);
    case 1: {
      const alive = f.alive.filter((k) => node.names[k]![f.pos] === b);
      if (alive.length === 0) return null;
      const done = alive.find((k) => node.names[k]!.length === f.pos + 1);
      return done !== undefined ? to(2, 0, [], done) : to(1, f.pos + 1, alive, -1);
    }
    case 2:
      if (TOOL_CALL_MID[f.pos] !== b) return null;
      return f.pos + 1 === TOOL_CALL_MID.length ? to(3, 0, [], f.k) : to(2, f.pos + 1, [], f.k);
    case 3:
      return startValue(node.args[f.k]!, b, to(4, 0, [], f.k));
    default:
      return b === 0x7d ? up : null;
  }
}

function stepString(s: JsonState, ph: number, b: number): JsonState | null {
  const up = s.up!;
  if (ph === 0) {
    if (b === 0x22) return up;
    if (b === 0x5c) return push(up, { t: 'str', ph: 1 });
    if (b < 0x20) return null;
    if (b < 0x80) return s;
    if (b >= 0xc2 && b <= 0xdf) return push(up, { t: 'str', ph: 11 });
    if (b >= 0xe0 && b <= 0xef) return push(up, { t: 'str', ph: 12 });
    if (b >= 0xf0 && b <= 0xf4) return push(up, { t: 'str', ph: 13 });
    return null;
  }
  if (ph === 1) {
    if (b === 0x75) return push(up, { t: 'str', ph: 5 });
    const ok =
      b === 0x22 || b === 0x5c || b === 0x2f || b === 0x62 || b === 0x66 || b === 0x6e || b === 0x72 || b === 0x74;
    return ok ? push(up, { t: 'str', ph: 0 }) : null;
  }
  if (ph < 10) {
    const isHex = isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
    if (!isHex) return null;
    return push(up, { t: 'str', ph: ph === 2 ? 0 : ph - 1 });
  }
  if (b < 0x80 || b > 0xbf) return null;
  return push(up, { t: 'str', ph: ph === 11 ? 0 : ph - 1 });
}

function stepNumber(f: Extract<Frame, { t: 'num' }>, b: number, up: JsonState): JsonState | null {
  const d = isDigit(b);
  const isInt = f.isInt;
  const to = (ph: NumPhase, n: number): JsonState => push(up, { t: 'num', ph, n, isInt });
  switch (f.ph) {
    case 0:
      return null;
    case 1:
      if (b === 0x30) return to(2, 1);
      return d ? to(3, 1) : null;
    case 2:
    case 3:
      if (f.ph === 3 && d) return f.n < MAX_DIGITS ? to(3, f.n + 1) : null;
      if (isInt) return null;
      if (b === 0x2e) return to(4, 0);
      if (b === 0x65 || b === 0x45) return to(6, 0);
      return null;
    case 4:
      return d ? to(5, 1) : null;
    case 5:
      if (d) return f.n < MAX_DIGITS ? to(5, f.n + 1) : null;
      if (b === 0x65 || b === 0x45) return to(6, 0);
      return null;
    case 6:
      if (b === 0x2b || b === 0x2d) return to(7, 0);
      return d ? to(8, 1) : null;
    case 7:
      return d ? to(8, 1) : null;
    default:
      return d && f.n < MAX_EXP_DIGITS ? to(8, f.n + 1) : null;
  }
}

function stepFreeObject(ph: FreePhase, b: number, up: JsonState): JsonState | null {
  switch (ph) {
    case O_FIRST:
    case O_NEXT:
      if (b === 0x22) return push(push(up, { t: 'fobj', ph: O_COLON }), { t: 'str', ph: 0 });
      return ph === O_FIRST && b === 0x7d ? up : null;
    case O_COLON:
      return b === 0x3a ? push(up, { t: 'fobj', ph: O_VAL }) : null;
    case O_VAL:
      return startValue(ANY_ARRAY.items, b, push(up, { t: 'fobj', ph: O_AFTER }));
    default:
      if (b === 0x2c) return push(up, { t: 'fobj', ph: O_NEXT });
      return b === 0x7d ? up : null;
  }
}

function stepObject(f: Extract<Frame, { t: 'obj' }>, b: number, up: JsonState): JsonState | null {
  const node = f.node;
  const ps = node.properties;
  switch (f.ph) {
    case O_FIRST:
    case O_NEXT: {
      const from = f.ph === O_FIRST ? 0 : f.j + 1;
      if (b === 0x7d && f.ph === O_FIRST && !ps.some((p) => p.isRequired)) return up;
      if (b !== 0x22) return null;
      const alive = keyRange(node, from);
      if (alive.length === 0) return null;
      return push(up, { t: 'obj', node, ph: O_KEY, j: f.j, alive, pos: 1 });
    }
    case O_KEY: {
      const alive: number[] = [];
      let done = -1;
      for (const k of f.alive) {
        const kb = ps[k]!.keyBytes;
        if (kb[f.pos] === b) {
          alive.push(k);
          if (kb.length === f.pos + 1) done = k;
        }
      }
      if (alive.length === 0) return null;
      if (done >= 0) return push(up, { t: 'obj', node, ph: O_COLON, j: done, alive: [], pos: 0 });
      return push(up, { t: 'obj', node, ph: O_KEY, j: f.j, alive, pos: f.pos + 1 });
    }
    case O_COLON:
      return b === 0x3a ? push(up, { t: 'obj', node, ph: O_VAL, j: f.j, alive: [], pos: 0 }) : null;
    case O_VAL:
      return startValue(ps[f.j]!.node, b, push(up, { t: 'obj', node, ph: O_AFTER, j: f.j, alive: [], pos: 0 }));
    default: {
      if (b === 0x2c) {
        return f.j + 1 < ps.length ? push(up, { t: 'obj', node, ph: O_NEXT, j: f.j, alive: [], pos: 0 }) : null;
      }
      if (b !== 0x7d) return null;
      for (let k = f.j + 1; k < ps.length; k++) if (ps[k]!.isRequired) return null;
      return up;
    }
  }
}

function stepArray(f: Extract<Frame, { t: 'arr' }>, b: number, up: JsonState): JsonState | null {
  const node = f.node;
  if (f.ph === A_FIRST) {
    if (b === 0x5d) return node.minItems === 0 ? up : null;
    if (node.maxItems === 0) return null;
    return startValue(node.items, b, push(up, { t: 'arr', node, ph: A_AFTER, c: 1 }));
  }
  if (f.ph === A_AFTER) {
    if (b === 0x2c) return f.c < node.maxItems ? push(up, { t: 'arr', node, ph: A_VAL, c: f.c }) : null;
    if (b === 0x5d) return f.c >= node.minItems ? up : null;
    return null;
  }
  return startValue(node.items, b, push(up, { t: 'arr', node, ph: A_AFTER, c: f.c + 1 }));
}
