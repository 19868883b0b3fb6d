import { describe, expect, it } from 'vitest';
import { ChoiceShaper } from '../src/generation/ChoiceShaper.ts';
import { parseToolCallText, ToolCallStream } from '../src/generation/ToolCallStream.ts';

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
});
