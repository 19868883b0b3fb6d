import { Template } from '@huggingface/jinja';
import { EngineError } from '../EngineError.ts';
import type { GgufFile } from '../gguf/GgufFile.ts';
import { type ChatMessage, normalizeMessages } from './normalizeMessages.ts';

/**
 * The template used when a GGUF carries no `tokenizer.chat_template`: ChatML
 * (`<|im_start|>role\ncontent<|im_end|>\n`). It is what llama.cpp (`common_chat_templates_init`,
 * hence llama-server) falls back to, so a template-less model gets the same prompt from us as from
 * the reference implementation; ChatML also delimits turns unambiguously, which a plain
 * `role: text` format does not when a message itself contains `user:`.
 */
export const CHATML_TEMPLATE =
  "{%- for message in messages -%}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' -}}{%- endfor -%}" +
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}";

/** Options of {@link ChatTemplate.render}. */
export interface ChatRenderOptions {
  /** Append the opening of an assistant turn; default true. */
  addGenerationPrompt?: boolean;
  /** Tool (function) definitions, OpenAI style; passed to the template as `tools`. */
  tools?: unknown[];
  /** Further template variables (e.g. `enable_thinking`); they cannot replace the standard ones. */
  variables?: Record<string, unknown>;
}

/** Token texts and template sources a {@link ChatTemplate} is built from. */
export interface ChatTemplateSpec {
  source: string;
  /** Variant used when tools are given (`tokenizer.chat_template.tool_use`). */
  toolUseSource?: string;
  bosToken?: string;
  eosToken?: string;
}

function parse(source: unknown, what: string): Template {
  if (typeof source !== 'string' || source.length === 0) {
    throw new EngineError('DTE_ERR_CHAT_BAD_TEMPLATE', `ChatTemplate: ${what} must be a non-empty string`);
  }
  try {
    return new Template(source);
  } catch (err) {
    throw new EngineError(
      'DTE_ERR_CHAT_BAD_TEMPLATE',
      `ChatTemplate: ${what} does not parse: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

function tokenText(file: Pick<GgufFile, 'metadata'>, key: string, fallback: number): string {
  const tokens = file.metadata.get('tokenizer.ggml.tokens');
  const raw = file.metadata.get(key);
  const id = typeof raw === 'number' ? raw : fallback;
  return Array.isArray(tokens) && typeof tokens[id] === 'string' ? (tokens[id] as string) : '';
}

/**
 * A chat template (Jinja, rendered with `@huggingface/jinja`) that turns messages into a prompt.
 * @example
 * const tpl = ChatTemplate.fromGguf(readGguf('qwen2.gguf'));
 * tpl.render([{ role: 'user', content: 'Hi' }]);
 * // '<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n'
 */
export class ChatTemplate {
  readonly source: string;
  /** True when the GGUF had no template and {@link CHATML_TEMPLATE} is used. */
  readonly isFallback: boolean;
  readonly bosToken: string;
  readonly eosToken: string;
  private readonly template: Template;
  private readonly toolUse: Template | undefined;
  private readonly systemRole = new Map<Template, boolean>();

  constructor(spec: ChatTemplateSpec, isFallback = false) {
    this.template = parse(spec.source, 'the template');
    this.toolUse = spec.toolUseSource === undefined ? undefined : parse(spec.toolUseSource, 'the tool_use template');
    this.source = spec.source;
    this.isFallback = isFallback;
    this.bosToken = spec.bosToken ?? '';
    this.eosToken = spec.eosToken ?? '';
  }

  /**
   * Reads `tokenizer.chat_template` (and `.tool_use`) with the BOS/EOS token texts from GGUF metadata;
   * without a template, uses {@link CHATML_TEMPLATE} (`isFallback` is then true).
   */
  static fromGguf(file: Pick<GgufFile, 'metadata'>): ChatTemplate {
    const isSpm = file.metadata.get('tokenizer.ggml.model') === 'llama';
    const source = file.metadata.get('tokenizer.chat_template');
    const toolUse = file.metadata.get('tokenizer.chat_template.tool_use');
    const bosToken = tokenText(file, 'tokenizer.ggml.bos_token_id', isSpm ? 1 : -1);
    const eosToken = tokenText(file, 'tokenizer.ggml.eos_token_id', isSpm ? 2 : -1);
    if (source === undefined || source === '') {
      return new ChatTemplate(
        {
          source: CHATML_TEMPLATE,
          ...(typeof toolUse === 'string' ? { toolUseSource: toolUse } : {}),
          bosToken,
          eosToken,
        },
        true,
      );
    }
    if (toolUse !== undefined && typeof toolUse !== 'string') {
      throw new EngineError(
        'DTE_ERR_CHAT_BAD_TEMPLATE',
        'ChatTemplate: tokenizer.chat_template.tool_use is not a string',
      );
    }
    return new ChatTemplate({
      source: source as string,
      ...(toolUse ? { toolUseSource: toolUse } : {}),
      bosToken,
      eosToken,
    });
  }

  /** Whether `template` uses a leading system message (llama.cpp's capability probe). */
  private supportsSystemRole(template: Template): boolean {
    let known = this.systemRole.get(template);
    if (known === undefined) {
      const probe = '\u0000dte-system-probe\u0000';
      try {
        known = template
          .render({
            messages: [
              { role: 'system', content: probe },
              { role: 'user', content: 'User message' },
            ],
            add_generation_prompt: false,
            bos_token: this.bosToken,
            eos_token: this.eosToken,
          })
          .includes(probe);
      } catch {
        known = false; // e.g. Gemma 2's "System role not supported"
      }
      this.systemRole.set(template, known);
    }
    return known;
  }

  /**
   * Renders `messages` into a prompt string. As llama.cpp does, `developer` messages count as
   * `system`, and a leading system message is merged (newline-joined) into the next message when
   * the template has no system role. No clock is read: templates that print a date use their own
   * default unless `variables` gives one (e.g. `{ date_string: '24 Nov 2026' }`).
   * Throws `DTE_ERR_CHAT_BAD_MESSAGES` for malformed messages and `DTE_ERR_CHAT_RENDER_FAILED` when
   * the template fails (including its own `raise_exception`).
   */
  render(messages: readonly ChatMessage[], options: ChatRenderOptions = {}): string {
    let normalized = normalizeMessages(messages);
    if (options.tools !== undefined && !Array.isArray(options.tools)) {
      throw new EngineError('DTE_ERR_CHAT_BAD_MESSAGES', 'ChatTemplate.render: tools must be an array');
    }
    const hasTools = options.tools !== undefined && options.tools.length > 0;
    const template = hasTools && this.toolUse ? this.toolUse : this.template;
    // llama.cpp's workarounds (common/chat.cpp), so prompts match llama-server's: OpenAI's
    // `developer` role is `system` (except for gpt-oss templates, which know it), and a leading
    // system message is merged into the next message when the template ignores or rejects it.
    if (!this.source.includes('<|channel|>')) {
      normalized = normalized.map((m) => (m.role === 'developer' ? { ...m, role: 'system' } : m));
    }
    if (normalized[0]?.role === 'system' && !this.supportsSystemRole(template)) {
      const [system, next, ...rest] = normalized;
      normalized = next ? [{ ...next, content: `${system!.content}\n${next.content}` }, ...rest] : [];
    }
    const context: Record<string, unknown> = {
      ...(options.variables ?? {}),
      messages: normalized,
      add_generation_prompt: options.addGenerationPrompt ?? true,
      bos_token: this.bosToken,
      eos_token: this.eosToken,
    };
    if (hasTools) context.tools = options.tools;
    try {
      return template.render(context);
    } catch (err) {
      throw new EngineError('DTE_ERR_CHAT_RENDER_FAILED', `ChatTemplate.render: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
}
