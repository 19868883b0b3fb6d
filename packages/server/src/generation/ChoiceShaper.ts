import type { StructuredPlan } from './planStructured.ts';
import { parseToolCallText, type ToolCall, type ToolCallDelta, ToolCallStream } from './ToolCallStream.ts';

/** The `delta` of one streamed chat chunk. */
export type ChatDelta = { content?: string | null; tool_calls?: ToolCallDelta[] };

/** OpenAI's finish reasons this server reports. */
export type ChatFinishReason = 'stop' | 'length' | 'tool_calls';

/** A finished choice's message. */
export interface ChatMessageOut {
  role: 'assistant';
  content: string | null;
  refusal: null;
  tool_calls?: ToolCall[];
}

/** Could `t` (left-trimmed) still become a tool call written as text? */
function mayBeToolCall(t: string): boolean {
  const s = t.trimStart();
  if (s === '') return true;
  return s.startsWith('{') || '<tool_call>'.startsWith(s.slice(0, 11)) || '```'.startsWith(s.slice(0, 3));
}

/**
 * Shapes one choice's generated text into chat deltas and the final message, following the
 * request's {@link StructuredPlan}: plain content, a forced tool call streamed in OpenAI's
 * `tool_calls` delta format, or (`auto`) content that is recognised as a tool call when it is one.
 */
export class ChoiceShaper {
  private text = '';
  private readonly call: ToolCallStream | undefined;
  /** `auto`: text held back while it may still be a tool call. */
  private isHolding: boolean;
  private autoCall: ToolCall | undefined;

  constructor(private readonly plan: StructuredPlan) {
    this.call = plan.mode === 'call' ? new ToolCallStream() : undefined;
    this.isHolding = plan.mode === 'auto';
  }

  /** The first chunk's delta (after `role`). */
  get initialContent(): string | null {
    return this.plan.mode === 'call' ? null : '';
  }

  /** Feeds new text; returns the deltas to stream now. */
  push(text: string): ChatDelta[] {
    this.text += text;
    if (this.call !== undefined) return this.call.push(text).map((td) => ({ tool_calls: [td] }));
    if (this.isHolding) {
      if (mayBeToolCall(this.text)) return [];
      this.isHolding = false;
      return [{ content: this.text }];
    }
    return text === '' ? [] : [{ content: text }];
  }

  /** Ends the choice: the last deltas and OpenAI's finish reason for the engine's. */
  finish(engineReason: 'stop' | 'length' | null): { deltas: ChatDelta[]; finishReason: ChatFinishReason } {
    const base: ChatFinishReason = engineReason === 'length' ? 'length' : 'stop';
    if (this.call !== undefined) {
      const last = this.call.push('');
      return {
        deltas: last.map((td) => ({ tool_calls: [td] })),
        finishReason: this.call.result() ? 'tool_calls' : base,
      };
    }
    if (this.isHolding) {
      this.isHolding = false;
      const call = this.plan.mode === 'auto' ? parseToolCallText(this.text, this.plan.tools) : undefined;
      if (call !== undefined) {
        this.autoCall = call;
        const td: ToolCallDelta = { index: 0, id: call.id, type: 'function', function: { ...call.function } };
        return { deltas: [{ tool_calls: [td] }], finishReason: 'tool_calls' };
      }
      return { deltas: this.text === '' ? [] : [{ content: this.text }], finishReason: base };
    }
    return { deltas: [], finishReason: base };
  }

  /** The complete message (non-streaming), after {@link finish}. */
  message(): ChatMessageOut {
    const call = this.call?.result() ?? this.autoCall;
    if (call !== undefined) return { role: 'assistant', content: null, refusal: null, tool_calls: [call] };
    return { role: 'assistant', content: this.text, refusal: null };
  }
}
