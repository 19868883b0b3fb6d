import fc from 'fast-check';

/** Random JSON schemas within the supported subset (objects, arrays, scalars, enums, nesting). */
export function schemaArbitrary(maxDepth = 3): fc.Arbitrary<Record<string, unknown>> {
  const { schema } = fc.letrec<{ schema: Record<string, unknown> }>((tie) => ({
    schema: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      fc.constantFrom<Record<string, unknown>>(
        { type: 'string' },
        { type: 'number' },
        { type: 'integer' },
        { type: 'boolean' },
        { type: 'null' },
        { type: ['string', 'null'] },
        {},
      ),
      // Enum values are distinct, as JSON Schema asks (an independent validator rejects duplicates).
      fc
        .uniqueArray(
          fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -50, max: 500 }), fc.boolean(), fc.constant(null)),
          {
            minLength: 1,
            maxLength: 4,
          },
        )
        .map((values) => ({ enum: values })),
      fc.jsonValue({ maxDepth: 1 }).map((v) => ({ const: v })),
      fc
        .record({
          items: tie('schema'),
          minItems: fc.integer({ min: 0, max: 2 }),
          extra: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
        })
        .map(({ items, minItems, extra }) => ({
          type: 'array',
          items,
          ...(minItems > 0 ? { minItems } : {}),
          ...(extra !== undefined ? { maxItems: minItems + extra } : {}),
        })),
      fc
        .uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 5 }), tie('schema'), fc.boolean()), {
          maxLength: 4,
          selector: (t) => t[0],
        })
        .map((props) => ({
          type: 'object',
          properties: Object.fromEntries(props.map(([k, s]) => [k, s])),
          required: props.filter((p) => p[2]).map((p) => p[0]),
          additionalProperties: false,
        })),
    ),
  }));
  return schema;
}
