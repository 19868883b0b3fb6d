import { loadModel, readGguf } from '@dte/engine-core';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { buildApp, servedModelOf } from '../src/index.ts';

// A Llama-2-style template that writes the BOS token itself.
const TEMPLATE =
  "{{ bos_token }}{% for m in messages %}{% if m.role == 'user' %}[INST] {{ m.content }} [/INST]{% elif m.role == 'system' %}<<SYS>>{{ m.content }}<</SYS>>{% else %} {{ m.content }}{{ eos_token }}{% endif %}{% endfor %}";

describe.skipIf(!hasSharedModel())('chat template from the GGUF', () => {
  it('renders the model’s own template and does not double the BOS it writes', async () => {
    const file = readGguf(sharedModel('stories260K.gguf'));
    file.metadata.set('tokenizer.chat_template', TEMPLATE);
    const loaded = await loadModel(file, { backend: 'reference', numBlocks: 64 });
    const served = servedModelOf(loaded, { id: 'templated' });
    expect(served.chatTemplate.isFallback).toBe(false);
    const app = await buildApp({ served });
    const messages = [
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Tell a story' },
    ];
    const rendered = served.chatTemplate.render(messages);
    expect(
      rendered.startsWith(`${served.chatTemplate.bosToken}<<SYS>>Be kind.<</SYS>>[INST] Tell a story [/INST]`),
    ).toBe(true);
    const ids = served.tokenizer.encode(rendered, { parseSpecial: true, addBos: false });
    expect(ids.filter((t) => t === served.tokenizer.bosId)).toHaveLength(1);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      payload: { model: 'templated', messages, max_tokens: 2 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().usage.prompt_tokens).toBe(ids.length);
    await app.close();
  });
});
