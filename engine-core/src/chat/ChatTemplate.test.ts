import { beforeAll, describe, expect, it } from 'vitest';
import type { GgufValue } from '../gguf/GgufFile.ts';
import { readGguf } from '../gguf/readGguf.ts';
import { Tokenizer } from '../tokenizer/Tokenizer.ts';
import { vocabGguf } from '../tokenizer/testing/vocabFixtures.ts';
import { CHATML_TEMPLATE, ChatTemplate } from './ChatTemplate.ts';

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

  it('phi-3: bos_token, user/assistant turns; the template itself drops system messages', () => {
    expect(phi3.bosToken).toBe('<s>');
    expect(phi3.eosToken).toBe('<|endoftext|>');
    expect(
      phi3.render([
        { role: 'system', content: 'ignored by this template' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ]),
    ).toBe('<s><|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\n');
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

  it('rejects malformed messages', () => {
    const tpl = new ChatTemplate({ source: CHATML_TEMPLATE });
    const bad: unknown[] = [
      'not an array',
      [null],
      [{ content: 'no role' }],
      [{ role: '', content: 'x' }],
      [{ role: 'user', content: 42 }],
      [{ role: 'user', content: [{ type: 'image_url', image_url: 'x' }] }],
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
