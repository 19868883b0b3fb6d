import { Ajv } from 'ajv';

// Strict about the schema's keywords (an unknown one is an error), lenient about type-keyword pairing
// (the supported subset allows e.g. `properties` without `type: 'object'`, as JSON Schema does).
const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false });

/**
 * What an independent JSON Schema validator (Ajv, draft-07) finds wrong with `value` under `schema`:
 * empty when valid. Tests check constrained outputs with it besides the project's own `validateJson`.
 */
export function ajvErrors(value: unknown, schema: unknown): string[] {
  const validate = ajv.compile(schema as object | boolean);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '$'}: ${e.message ?? e.keyword}`);
}
