/**
 * Validates a parsed JSON value against a schema of the supported subset (type, properties,
 * required, additionalProperties, items, minItems, maxItems, enum, const). Returns the problems
 * found as `path: message` strings (empty = valid). Written independently of the automaton, so tests
 * can use it to check what constrained decoding produced.
 * @example validateJson({ a: 1 }, { type: 'object', required: ['a'] }) // []
 */
export function validateJson(value: unknown, schema: unknown, path = '$'): string[] {
  if (schema === true || schema === undefined) return [];
  if (schema === false) return [`${path}: no value allowed`];
  const s = schema as Record<string, unknown>;
  const errors: string[] = [];
  if (s.const !== undefined && !jsonEqual(value, s.const)) errors.push(`${path}: must equal const`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(value, e))) errors.push(`${path}: not in enum`);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(value, t))) errors.push(`${path}: expected ${types.join('|')}`);
  }
  if (isObject(value)) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    for (const r of (s.required ?? []) as string[]) {
      if (!Object.hasOwn(value, r)) errors.push(`${path}: missing required ${r}`);
    }
    for (const [k, v] of Object.entries(value)) {
      if (Object.hasOwn(props, k)) errors.push(...validateJson(v, props[k], `${path}.${k}`));
      else if (s.additionalProperties === false) errors.push(`${path}: unexpected property ${k}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`${path}: fewer than minItems`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`${path}: more than maxItems`);
    if (s.items !== undefined) {
      for (const [i, v] of value.entries()) errors.push(...validateJson(v, s.items, `${path}[${i}]`));
    }
  }
  return errors;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      return false;
  }
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
