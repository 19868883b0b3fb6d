import { randomUUID } from 'node:crypto';
import { validateJson } from '@dte/engine-core';
import type { ToolDef } from './planStructured.ts';

/** One tool call of an assistant message (OpenAI's shape). */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One `delta.tool_calls[]` entry of a streamed chunk (OpenAI's delta format). */
export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

const HEAD = '{"name":"';
const MID = '","arguments":';

/** A fresh tool-call id (`call_` + 24 hex digits). */
export function newToolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

/**
 * Splits the text of a forced tool call, `{"name":"NAME","arguments":ARGS}` exactly as the
 * constraint writes it, into OpenAI's streamed deltas: the first delta carries the id and name once
 * the name is complete, the next ones the arguments' text as it comes (the closing `}` of the
 * envelope is held back and dropped). The concatenated `arguments` equal {@link ToolCall}'s.
 */
export class ToolCallStream {
  readonly id = newToolCallId();
  private buf = '';
  private name: string | undefined;
  /** Characters of `buf` already sent as arguments (offset into `buf`). */
  private sent = 0;
  private argsStart = 0;

  /** Feeds generated text; returns the deltas that became ready. */
  push(text: string): ToolCallDelta[] {
    this.buf += text;
    const out: ToolCallDelta[] = [];
    if (this.name === undefined) {
      const end = this.buf.indexOf(MID, HEAD.length);
      if (!this.buf.startsWith(HEAD) || end < 0) return out;
      this.name = this.buf.slice(HEAD.length, end);
      this.argsStart = end + MID.length;
      this.sent = this.argsStart;
      out.push({ index: 0, id: this.id, type: 'function', function: { name: this.name, arguments: '' } });
    }
    // Hold back the last character: it may be the envelope's closing brace.
    const upTo = this.buf.length - 1;
    if (upTo > this.sent) {
      out.push({ index: 0, function: { arguments: this.buf.slice(this.sent, upTo) } });
      this.sent = upTo;
    }
    return out;
  }

  /** The whole call, once generation ended; undefined when the text is not a complete call. */
  result(): ToolCall | undefined {
    if (this.name === undefined || !this.buf.endsWith('}')) return undefined;
    try {
      JSON.parse(this.buf);
    } catch {
      return undefined;
    }
    return {
      id: this.id,
      type: 'function',
      function: { name: this.name, arguments: this.buf.slice(this.argsStart, -1) },
    };
  }
}

/**
 * Recognises a free-text reply that is a tool call (tool_choice `auto`): the whole reply, maybe in
 * `<tool_call>…</tool_call>` or a code fence, is `{"name": <a declared tool>, "arguments": {...}}`
 * with arguments valid under that tool's parameters schema (so every returned call is one the
 * client's function accepts, as with forced calls).
 */
export function parseToolCallText(text: string, tools: readonly ToolDef[]): ToolCall | undefined {
  let t = text.trim();
  const tagged = /^<tool_call>([\s\S]*)<\/tool_call>$/.exec(t);
  if (tagged) t = tagged[1]!.trim();
  const fenced = /^```(?:json)?([\s\S]*)```$/.exec(t);
  if (fenced) t = fenced[1]!.trim();
  if (!t.startsWith('{')) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const args = o.arguments ?? o.parameters;
  const tool = tools.find((d) => d.name === o.name);
  if (typeof o.name !== 'string' || tool === undefined) return undefined;
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return undefined;
  // A call the tool cannot take (arguments outside its parameters schema) stays text.
  if (validateJson(args, tool.parameters).length > 0) return undefined;
  return { id: newToolCallId(), type: 'function', function: { name: o.name, arguments: JSON.stringify(args) } };
}
