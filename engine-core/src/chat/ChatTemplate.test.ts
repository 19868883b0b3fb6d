import { beforeAll, describe, expect, it } from 'vitest';
import type { GgufValue } from '../gguf/GgufFile.ts';
import { readGguf } from '../gguf/readGguf.ts';
import { Tokenizer } from '../tokenizer/Tokenizer.ts';
import { chatTemplateSource, TEMPLATE_NAMES, vocabGguf } from '../tokenizer/testing/vocabFixtures.ts';
import { CHATML_TEMPLATE, ChatTemplate } from './ChatTemplate.ts';
import { normalizeMessages } from './normalizeMessages.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};
const meta = (entries: Array<[string, GgufValue]>) => ({ metadata: new Map<string, GgufValue>(entries) });

describe('ChatTemplate from the templates shipped in llama.cpp vocab GGUFs', () => {
  let qwen: ChatTemplate;
  let phi3: ChatTemplate;
  beforeAll(() => {
    qwen = ChatTemplate.fromGguf(readGguf(vocabGguf('qwen2')));
    phi3 = ChatTemplate.fromGguf(readGguf(vocabGguf('phi-3')));
  });

  it('qwen2: adds the default system prompt, ChatML turns and the generation prompt', () => {
    expect(qwen.isFallback).toBe(false);
    expect(qwen.render([{ role: 'user', content: 'Hello' }])).toBe(
      '<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n',
    );
    expect(
      qwen.render(
        [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'assistant', content: 'Hello!' },
        ],
        { addGenerationPrompt: false },
      ),
    ).toBe(
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n',
    );
  });

  it('qwen2: the rendered prompt tokenizes into control tokens with parseSpecial', () => {
    const tok = Tokenizer.fromGguf(readGguf(vocabGguf('qwen2')));
    const ids = tok.encode(qwen.render([{ role: 'user', content: 'Hello' }]), { parseSpecial: true });
    expect(ids[0]).toBe(tok.vocab.tokenToId.get('<|im_start|>'));
    expect(ids.filter((id) => id === tok.eotId)).toHaveLength(2);
  });

  it('phi-3: bos_token, user/assistant turns; a system message the template ignores joins the first user turn', () => {
    expect(phi3.bosToken).toBe('<s>');
    expect(phi3.eosToken).toBe('<|endoftext|>');
    const turns = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Bye' },
    ];
    expect(phi3.render(turns)).toBe(
      '<s><|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\n',
    );
    // As llama.cpp: the template has no system role (it drops it), so the system text is merged.
    expect(phi3.render([{ role: 'system', content: 'Be brief.' }, ...turns])).toBe(
      '<s><|user|>\nBe brief.\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\n',
    );
    expect(phi3.render([{ role: 'developer', content: 'Be brief.' }, ...turns])).toContain('<|user|>\nBe brief.\nHi');
  });

  it('falls back to ChatML when the GGUF has no template (llama-spm)', () => {
    const tpl = ChatTemplate.fromGguf(readGguf(vocabGguf('llama-spm')));
    expect(tpl.isFallback).toBe(true);
    expect(tpl.source).toBe(CHATML_TEMPLATE);
    expect(tpl.bosToken).toBe('<s>');
    expect(tpl.render([{ role: 'user', content: 'Hello' }])).toBe(
      '<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n',
    );
    expect(tpl.render([{ role: 'assistant', content: null }], { addGenerationPrompt: false })).toBe(
      '<|im_start|>assistant\n<|im_end|>\n',
    );
  });
});

describe("ChatTemplate on llama.cpp's collection of real templates", () => {
  const chat = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'user', content: 'Move north.' },
  ];
  const tools = [
    {
      type: 'function',
      function: {
        name: 'move',
        description: 'Move the agent',
        parameters: {
          type: 'object',
          properties: { dir: { type: 'string', description: 'where' } },
          required: ['dir'],
        },
      },
    },
  ];

  const TOOL_TEMPLATES = new Set<string>([
    'Qwen-Qwen2.5-7B-Instruct',
    'meta-llama-Llama-3.1-8B-Instruct',
    'Qwen-Qwen3-0.6B',
    'mistralai-Mistral-Nemo-Instruct-2407',
  ]);

  it.each(TEMPLATE_NAMES)('%s renders a conversation, with and without tools', (name) => {
    const tpl = new ChatTemplate({ source: chatTemplateSource(name), bosToken: '<s>', eosToken: '</s>' });
    const plain = tpl.render(chat);
    expect(plain).toContain('Hi');
    expect(plain).toContain('Move north.');
    expect(plain).toContain('You are terse.');
    const withTools = tpl.render(chat, { tools });
    // Only some templates describe tools (SmolLM3 reads `xml_tools`; Gemma 2 and Phi-3.5 have none).
    expect(withTools.includes('Move the agent')).toBe(TOOL_TEMPLATES.has(name));
  });

  it('Qwen2.5: exact prompt with tools, a tool call and a tool response', () => {
    const tpl = new ChatTemplate({ source: chatTemplateSource('Qwen-Qwen2.5-7B-Instruct') });
    const rendered = tpl.render(
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Move north.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ type: 'function', function: { name: 'move', arguments: { dir: 'north' } } }],
        },
        { role: 'tool', content: '{"ok": true}' },
      ],
      { tools },
    );
    expect(rendered).toBe(
      '<|im_start|>system\nYou are terse.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n' +
        'You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n' +
        '{"type": "function", "function": {"name": "move", "description": "Move the agent", "parameters": {"type": "object", ' +
        '"properties": {"dir": {"type": "string", "description": "where"}}, "required": ["dir"]}}}' +
        '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n' +
        '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\nMove north.<|im_end|>\n' +
        '<|im_start|>assistant\n<tool_call>\n{"name": "move", "arguments": {"dir": "north"}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\n{"ok": true}\n</tool_response><|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('Llama 3.1: exact prompt, its own default date unless a date_string is given', () => {
    const tpl = new ChatTemplate({
      source: chatTemplateSource('meta-llama-Llama-3.1-8B-Instruct'),
      bosToken: '<|begin_of_text|>',
    });
    const head =
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n';
    const tail =
      'You are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nMove north.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n';
    expect(tpl.render(chat)).toBe(`${head}Today Date: 26 Jul 2024\n\n${tail}`);
    expect(tpl.render(chat, { variables: { date_string: '24 Nov 2026' } })).toBe(
      `${head}Today Date: 24 Nov 2026\n\n${tail}`,
    );
  });

  it('Gemma 2: the system message (which the template rejects) is merged into the first user turn', () => {
    const tpl = new ChatTemplate({ source: chatTemplateSource('google-gemma-2-2b-it'), bosToken: '<bos>' });
    expect(tpl.render(chat)).toBe(
      '<bos><start_of_turn>user\nYou are terse.\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n' +
        '<start_of_turn>user\nMove north.<end_of_turn>\n<start_of_turn>model\n',
    );
    expect(tpl.render([{ role: 'system', content: 'alone' }])).toBe('<bos><start_of_turn>model\n');
    // Its own alternation rule still raises, as a typed error.
    expect(codeOf(() => tpl.render([{ role: 'assistant', content: 'x' }]))).toBe('DTE_ERR_CHAT_RENDER_FAILED');
  });
});

describe('ChatTemplate: tools, variables and errors', () => {
  it('passes tools and extra variables, and uses the tool_use variant when tools are given', () => {
    const tpl = ChatTemplate.fromGguf(
      meta([
        ['tokenizer.ggml.model', 'gpt2'],
        ['tokenizer.ggml.tokens', ['<bos>', '<eos>']],
        ['tokenizer.ggml.bos_token_id', 0],
        ['tokenizer.ggml.eos_token_id', 1],
        ['tokenizer.chat_template', '{{ bos_token }}{{ messages | length }}{% if flag %}F{% endif %}{{ eos_token }}'],
        ['tokenizer.chat_template.tool_use', '{% for t in tools %}[{{ t.function.name }}]{% endfor %}'],
      ]),
    );
    const msgs = [{ role: 'user', content: 'x' }];
    expect(tpl.render(msgs, { variables: { flag: true } })).toBe('<bos>1F<eos>');
    const tools = [
      { type: 'function', function: { name: 'move' } },
      { type: 'function', function: { name: 'eat' } },
    ];
    expect(tpl.render(msgs, { tools })).toBe('[move][eat]');
  });

  it('rejects templates that do not parse or are not strings', () => {
    expect(codeOf(() => new ChatTemplate({ source: '{% for x in %}' }))).toBe('DTE_ERR_CHAT_BAD_TEMPLATE');
    expect(codeOf(() => new ChatTemplate({ source: '' }))).toBe('DTE_ERR_CHAT_BAD_TEMPLATE');
    expect(codeOf(() => ChatTemplate.fromGguf(meta([['tokenizer.chat_template', 42]])))).toBe(
      'DTE_ERR_CHAT_BAD_TEMPLATE',
    );
  });

  it('normalizes content parts, null content and JSON-string tool arguments', () => {
    const call = (args: unknown) => ({ type: 'function', function: { name: 'f', arguments: args } });
    const [a, b] = normalizeMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      { role: 'assistant', content: null, tool_calls: [call('{"x":1}'), call('not json'), call('[1]')] },
    ]);
    expect(a).toEqual({ role: 'user', content: 'a\nb' });
    expect(b).toEqual({ role: 'assistant', content: '', tool_calls: [call({ x: 1 }), call('not json'), call('[1]')] });
  });

  it('rejects malformed messages', () => {
    const tpl = new ChatTemplate({ source: CHATML_TEMPLATE });
    const bad: unknown[] = [
      'not an array',
      [null],
      [{ content: 'no role' }],
      [{ role: '', content: 'x' }],
      [{ role: 'user', content: 42 }],
      [{ role: 'user', content: [{ type: 'image_url', image_url: 'x' }] }],
      [{ role: 'assistant', content: '', tool_calls: 'x' }],
    ];
    for (const messages of bad) {
      expect(codeOf(() => tpl.render(messages as never))).toBe('DTE_ERR_CHAT_BAD_MESSAGES');
    }
    expect(codeOf(() => tpl.render([], { tools: 'x' as never }))).toBe('DTE_ERR_CHAT_BAD_MESSAGES');
  });

  it('turns template failures, including raise_exception, into DTE_ERR_CHAT_RENDER_FAILED', () => {
    const raising = new ChatTemplate({
      source: "{% if messages[0].role != 'user' %}{{ raise_exception('first message must be user') }}{% endif %}ok",
    });
    expect(raising.render([{ role: 'user', content: 'x' }])).toBe('ok');
    expect(codeOf(() => raising.render([{ role: 'assistant', content: 'x' }]))).toBe('DTE_ERR_CHAT_RENDER_FAILED');
    expect(codeOf(() => new ChatTemplate({ source: '{{ nope(1) }}' }).render([]))).toBe('DTE_ERR_CHAT_RENDER_FAILED');
  });
});
