import { EngineError } from '../EngineError.ts';

/** One text part of OpenAI-style array content. */
export interface ChatTextPart {
  type: 'text';
  text: string;
}

/**
 * A chat message as OpenAI's API and Hugging Face templates know it. Extra fields (`name`,
 * `tool_calls`, `tool_call_id`, `reasoning_content`, ...) are passed to the template unchanged.
 */
export interface ChatMessage {
  role: string;
  content?: string | ChatTextPart[] | null;
  [field: string]: unknown;
}

function parseArguments(call: unknown): unknown {
  const fn = (call as { function?: { arguments?: unknown } } | null)?.function;
  if (typeof fn?.arguments !== 'string') return call;
  try {
    const parsed: unknown = JSON.parse(fn.arguments);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return call;
    return { ...(call as object), function: { ...fn, arguments: parsed } };
  } catch {
    return call; // not JSON: the template gets the string as it is
  }
}

function bad(reason: string): EngineError {
  return new EngineError('DTE_ERR_CHAT_BAD_MESSAGES', `ChatTemplate.render: ${reason}`);
}

/**
 * Validates messages and makes their content a string, as most templates expect: text parts are
 * joined with newlines, `null`/missing content becomes `''` (an assistant turn holding only tool
 * calls). Non-text parts (images, audio) are rejected: no model here can take them. Tool-call
 * `function.arguments` given as a JSON string (OpenAI's wire format) become objects, the form
 * Hugging Face templates expect (`arguments | tojson`), as llama.cpp does.
 * @example normalizeMessages([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]) // [{ role: 'user', content: 'Hi' }]
 */
export function normalizeMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  if (!Array.isArray(messages)) throw bad('messages must be an array');
  return messages.map((m, i) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw bad(`messages[${i}] must be an object`);
    if (typeof m.role !== 'string' || m.role.length === 0) throw bad(`messages[${i}].role must be a non-empty string`);
    if (m.tool_calls !== undefined && m.tool_calls !== null && !Array.isArray(m.tool_calls)) {
      throw bad(`messages[${i}].tool_calls must be an array`);
    }
    const withCalls = Array.isArray(m.tool_calls) ? { ...m, tool_calls: m.tool_calls.map(parseArguments) } : m;
    const content = withCalls.content;
    if (content === undefined || content === null) return { ...withCalls, content: '' };
    if (typeof content === 'string') return { ...withCalls };
    if (!Array.isArray(content)) throw bad(`messages[${i}].content must be a string, an array of text parts or null`);
    const texts = content.map((part, k) => {
      if (typeof part !== 'object' || part === null || part.type !== 'text' || typeof part.text !== 'string') {
        throw bad(`messages[${i}].content[${k}] must be a text part { type: 'text', text }`);
      }
      return part.text;
    });
    return { ...withCalls, content: texts.join('\n') };
  });
}
