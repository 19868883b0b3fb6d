import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChoiceShaper } from '../src/generation/ChoiceShaper.ts';
import { parseToolCallText, ToolCallStream } from '../src/generation/ToolCallStream.ts';
import { ajvErrors } from './support/ajvErrors.ts';

const tools = [{ name: 'move', parameters: { type: 'object' } }];

describe('tool-call text', () => {
  it('recognises a bare, tagged or fenced call to a declared tool', () => {
    for (const t of [
      '{"name":"move","arguments":{"d":"n"}}',
      ' <tool_call>{"name": "move", "arguments": {"d": "n"}}</tool_call>',
      '```json\n{"name":"move","parameters":{"d":"n"}}\n```',
    ]) {
      const call = parseToolCallText(t, tools);
      expect(call?.function).toEqual({ name: 'move', arguments: '{"d":"n"}' });
    }
  });

  it('leaves text, unknown tools and non-object arguments alone', () => {
    for (const t of ['hello', '{"name":"fly","arguments":{}}', '{"name":"move","arguments":3}', '{"name":']) {
      expect(parseToolCallText(t, tools)).toBeUndefined();
    }
  });

  it('streams a forced call: name first, then arguments without the envelope brace', () => {
    const s = new ToolCallStream();
    const pieces = ['{"na', 'me":"mo', 've","argu', 'ments":{"d', '":"n"', '}}'];
    const deltas = pieces.flatMap((p) => s.push(p));
    expect(deltas[0]).toMatchObject({
      index: 0,
      id: s.id,
      type: 'function',
      function: { name: 'move', arguments: '' },
    });
    expect(deltas.map((d) => d.function.arguments).join('')).toBe('{"d":"n"}');
    expect(s.result()?.function).toEqual({ name: 'move', arguments: '{"d":"n"}' });
  });

  it('auto: holds text that may be a call, then reports tool_calls', () => {
    const sh = new ChoiceShaper({ mode: 'auto', tools });
    expect(sh.push('{"name":"move",')).toEqual([]);
    expect(sh.push('"arguments":{}}')).toEqual([]);
    const end = sh.finish('stop');
    expect(end.finishReason).toBe('tool_calls');
    expect(sh.message().tool_calls?.[0]?.function.name).toBe('move');
  });

  it('auto: plain text streams as content once it cannot be a call', () => {
    const sh = new ChoiceShaper({ mode: 'auto', tools });
    expect(sh.push(' ')).toEqual([]);
    expect(sh.push('Hi')).toEqual([{ content: ' Hi' }]);
    expect(sh.push('!')).toEqual([{ content: '!' }]);
    expect(sh.finish('length').finishReason).toBe('length');
    expect(sh.message()).toEqual({ role: 'assistant', content: ' Hi!', refusal: null });
  });

  it('auto: property: a reply becomes tool_calls exactly when it calls a declared tool with arguments valid under its parameters (checked by Ajv)', () => {
    const declared = [
      {
        name: 'move',
        parameters: {
          type: 'object',
          properties: { direction: { enum: ['north', 'south', 'east', 'west'] }, steps: { type: 'integer' } },
          required: ['direction'],
        },
      },
      {
        name: 'get_weather',
        parameters: {
          type: 'object',
          properties: {
            city: { type: 'string' },
            unit: { enum: ['c', 'f'] },
            days: { type: 'array', items: { type: 'integer' }, maxItems: 2 },
          },
          required: ['city', 'unit'],
          additionalProperties: false,
        },
      },
      { name: 'wait' },
    ];
    const value = fc.oneof(
      fc.constantFrom('north', 'up', 'c', 'f', 'Paris', 3, 2.5, -1, true, null),
      fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant('x')), { maxLength: 3 }),
    );
    const args = fc.dictionary(fc.constantFrom('direction', 'steps', 'city', 'unit', 'days', 'other'), value, {
      maxKeys: 4,
    });
    const wrap = fc.constantFrom(
      (j: string) => j,
      (j: string) => ` <tool_call>${j}</tool_call>`,
      (j: string) => `\`\`\`json\n${j}\n\`\`\``,
    );
    const seen = { calls: 0, rejected: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom('move', 'get_weather', 'wait'),
        args,
        wrap,
        fc.integer({ min: 1, max: 5 }),
        (name, a, w, cuts) => {
          const text = w(JSON.stringify({ name, arguments: a }));
          const sh = new ChoiceShaper({ mode: 'auto', tools: declared });
          // Streamed in a few pieces, as the engine's deltas come.
          const step = Math.ceil(text.length / cuts);
          const streamed = [];
          for (let i = 0; i < text.length; i += step) streamed.push(...sh.push(text.slice(i, i + step)));
          const end = sh.finish('stop');
          const tool = declared.find((t) => t.name === name)!;
          const valid = ajvErrors(a, tool.parameters ?? true).length === 0;
          const call = sh.message().tool_calls?.[0];
          if (call === undefined) {
            seen.rejected++;
            expect(valid, `${text} is a valid call`).toBe(false);
            expect(end.finishReason).toBe('stop');
            expect(sh.message().content).toBe(text);
          } else {
            seen.calls++;
            expect(call.function.name).toBe(name);
            const parsed = JSON.parse(call.function.arguments);
            expect(ajvErrors(parsed, tool.parameters ?? true), call.function.arguments).toEqual([]);
            expect(parsed).toEqual(a);
            expect(end.finishReason).toBe('tool_calls');
            expect(streamed).toEqual([]);
          }
        },
      ),
      { numRuns: 400, seed: 17 },
    );
    expect(seen.calls).toBeGreaterThan(40);
    expect(seen.rejected).toBeGreaterThan(40);
  });
});
