import { EngineError } from '../EngineError.ts';

/** One declared property of an object schema node. */
export interface SchemaProperty {
  key: string;
  /** `JSON.stringify(key)` as UTF-8 bytes (quotes included). */
  keyBytes: Uint8Array;
  node: SchemaNode;
  isRequired: boolean;
}

/** A schema compiled to the shapes the JSON automaton generates; `minLen` = bytes of its shortest value. */
export type SchemaNode =
  | { kind: 'any'; minLen: number }
  | { kind: 'object'; minLen: number; properties: SchemaProperty[]; isFree: boolean }
  | { kind: 'array'; minLen: number; items: SchemaNode; minItems: number; maxItems: number }
  | { kind: 'string'; minLen: number }
  | { kind: 'number'; minLen: number }
  | { kind: 'integer'; minLen: number }
  | { kind: 'boolean'; minLen: number }
  | { kind: 'null'; minLen: number }
  | { kind: 'literal'; minLen: number; values: Uint8Array[] }
  | { kind: 'union'; minLen: number; options: SchemaNode[] }
  | { kind: 'toolCall'; minLen: number; names: Uint8Array[]; args: SchemaNode[] };

/** Fixed bytes of a {@link toolCallNode} document: `{"name":` NAME `,"arguments":` ARGS `}`. */
export const TOOL_CALL_HEAD = new TextEncoder().encode('{"name":');
export const TOOL_CALL_MID = new TextEncoder().encode(',"arguments":');

/**
 * The node of one function call `{"name": <one of names>, "arguments": <that function's schema>}`
 * (compact, in this order): the arguments' schema depends on the name chosen.
 * @throws EngineError as {@link compileSchema} for each parameters schema; `DTE_ERR_STRUCTURED_BAD_SCHEMA` on no or duplicate names.
 */
export function toolCallNode(tools: readonly { name: string; parameters: unknown }[]): SchemaNode {
  if (tools.length === 0) throw bad('#', 'no tools to call');
  if (new Set(tools.map((t) => t.name)).size !== tools.length) throw bad('#', 'duplicate tool names');
  const names = tools.map((t) => utf8.encode(JSON.stringify(t.name)));
  const args = tools.map((t, i) =>
    t.parameters === undefined ? FREE_OBJECT_NODE : compileSchema(t.parameters, `#/tools/${i}/parameters`),
  );
  let m = Number.POSITIVE_INFINITY;
  names.forEach((n, i) => {
    m = Math.min(m, n.length + TOOL_CALL_MID.length + args[i]!.minLen);
  });
  return { kind: 'toolCall', minLen: TOOL_CALL_HEAD.length + m + 1, names, args };
}

/** Keywords that only annotate (ignored). */
const ANNOTATIONS = new Set(['title', 'description', '$schema', '$id', 'examples', 'default', 'strict', '$comment']);
const KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'enum',
  'const',
]);
const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const;
const MAX_DEPTH = 32;
const utf8 = new TextEncoder();

function unsupported(path: string, why: string): EngineError {
  return new EngineError('DTE_ERR_STRUCTURED_UNSUPPORTED_SCHEMA', `compileSchema: ${path}: ${why}`);
}
function bad(path: string, why: string): EngineError {
  return new EngineError('DTE_ERR_STRUCTURED_BAD_SCHEMA', `compileSchema: ${path}: ${why}`);
}

/** The node of "any JSON value" (what `{"type": "json_object"}` puts inside the top-level object). */
export const ANY_NODE: SchemaNode = { kind: 'any', minLen: 1 };

/** The node of `{"type": "json_object"}`: an object with any keys and values. */
export const FREE_OBJECT_NODE: SchemaNode = { kind: 'object', minLen: 2, properties: [], isFree: true };

/**
 * Compiles a JSON schema within the supported subset (see `README.md` in this folder) to a
 * {@link SchemaNode}. `true` / `{}` mean any value.
 * @throws EngineError `DTE_ERR_STRUCTURED_UNSUPPORTED_SCHEMA` for keywords outside the subset,
 *   `DTE_ERR_STRUCTURED_BAD_SCHEMA` for malformed schemas.
 * @example compileSchema({ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] })
 */
export function compileSchema(schema: unknown, path = '#', depth = 0): SchemaNode {
  if (depth > MAX_DEPTH) throw unsupported(path, `nesting deeper than ${MAX_DEPTH}`);
  if (schema === true) return ANY_NODE;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw bad(path, 'a schema must be an object (or true)');
  }
  const s = schema as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k)) throw unsupported(path, `keyword "${k}" is not supported`);
  }
  if (s.const !== undefined) return literalNode([s.const], path);
  if (s.enum !== undefined) {
    if (!Array.isArray(s.enum) || s.enum.length === 0) throw bad(path, 'enum must be a non-empty array');
    return literalNode(s.enum, path);
  }
  const type = s.type;
  if (type === undefined) {
    if (s.properties !== undefined) return objectNode(s, path, depth);
    if (s.items !== undefined) return arrayNode(s, path, depth);
    return ANY_NODE;
  }
  if (Array.isArray(type)) {
    if (type.length === 0) throw bad(path, 'type must not be an empty array');
    const options = [...new Set(type)].map((t) => typedNode(t, s, path, depth));
    if (options.some((o) => o.kind === 'integer') && options.some((o) => o.kind === 'number')) {
      throw unsupported(path, 'type ["integer", "number"] together is ambiguous; use "number"');
    }
    if (options.length === 1) return options[0]!;
    return { kind: 'union', minLen: Math.min(...options.map((o) => o.minLen)), options };
  }
  return typedNode(type, s, path, depth);
}

function typedNode(type: unknown, s: Record<string, unknown>, path: string, depth: number): SchemaNode {
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
    throw bad(path, `type must be one of ${TYPES.join(', ')}`);
  }
  switch (type) {
    case 'object':
      return objectNode(s, path, depth);
    case 'array':
      return arrayNode(s, path, depth);
    case 'string':
      return { kind: 'string', minLen: 2 };
    case 'number':
      return { kind: 'number', minLen: 1 };
    case 'integer':
      return { kind: 'integer', minLen: 1 };
    case 'boolean':
      return { kind: 'boolean', minLen: 4 };
    default:
      return { kind: 'null', minLen: 4 };
  }
}

function literalNode(values: unknown[], path: string): SchemaNode {
  const texts = new Set<string>();
  for (const v of values) {
    const text = JSON.stringify(v);
    if (text === undefined || (typeof v === 'number' && !Number.isFinite(v)))
      throw bad(path, 'enum/const values must be JSON');
    texts.add(text);
  }
  const bytes = [...texts].map((t) => utf8.encode(t));
  return { kind: 'literal', minLen: Math.min(...bytes.map((b) => b.length)), values: bytes };
}

function objectNode(s: Record<string, unknown>, path: string, depth: number): SchemaNode {
  const props = s.properties;
  const additional = s.additionalProperties;
  if (additional !== undefined && typeof additional !== 'boolean') {
    throw unsupported(path, 'additionalProperties must be a boolean');
  }
  const required = s.required ?? [];
  if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) {
    throw bad(path, 'required must be an array of strings');
  }
  if (props === undefined) {
    if (required.length > 0) throw bad(path, 'required names properties that are not declared');
    if (additional === false) return { kind: 'object', minLen: 2, properties: [], isFree: false };
    return FREE_OBJECT_NODE;
  }
  if (props === null || typeof props !== 'object' || Array.isArray(props))
    throw bad(path, 'properties must be an object');
  const names = Object.keys(props);
  for (const r of required) if (!names.includes(r)) throw bad(path, `required "${r}" is not a declared property`);
  const properties: SchemaProperty[] = names.map((key) => ({
    key,
    keyBytes: utf8.encode(JSON.stringify(key)),
    node: compileSchema((props as Record<string, unknown>)[key], `${path}/properties/${key}`, depth + 1),
    isRequired: required.includes(key),
  }));
  let minLen = 2;
  let numRequired = 0;
  for (const p of properties) {
    if (!p.isRequired) continue;
    minLen += p.keyBytes.length + 1 + p.node.minLen;
    numRequired++;
  }
  if (numRequired > 1) minLen += numRequired - 1;
  return { kind: 'object', minLen, properties, isFree: false };
}

function arrayNode(s: Record<string, unknown>, path: string, depth: number): SchemaNode {
  const count = (v: unknown, name: string, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw bad(path, `${name} must be a non-negative integer`);
    return v;
  };
  const minItems = count(s.minItems, 'minItems', 0);
  const maxItems = count(s.maxItems, 'maxItems', Number.POSITIVE_INFINITY);
  if (minItems > maxItems) throw bad(path, 'minItems exceeds maxItems');
  if (Array.isArray(s.items)) throw unsupported(path, 'tuple items (an array) are not supported');
  const items = s.items === undefined ? ANY_NODE : compileSchema(s.items, `${path}/items`, depth + 1);
  const minLen = 2 + minItems * items.minLen + Math.max(0, minItems - 1);
  return { kind: 'array', minLen, items, minItems, maxItems };
}
