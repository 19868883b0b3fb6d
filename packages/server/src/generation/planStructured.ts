import { type ConstraintTokenizer, JsonConstraint, type TokenConstraint, toolCallNode } from '@dte/engine-core';
import { toServerError } from '../plugins/errorPlugin.ts';
import type { ChatCompletionRequest } from '../routes/v1/schemas.ts';
import { ServerError } from '../ServerError.ts';

/** A function tool as a request declares it. */
export interface ToolDef {
  name: string;
  description?: string;
  parameters?: unknown;
}

/**
 * How a chat request's output is shaped: `text` (free), `json` (content constrained by
 * `response_format`), `call` (a tool call is forced: the output is a `{"name", "arguments"}` document
 * under the tools' schemas), or `auto` (free text; a reply that is a tool call is recognised).
 */
export type StructuredPlan =
  | { mode: 'text' }
  | { mode: 'json'; constraint: TokenConstraint }
  | { mode: 'call'; constraint: TokenConstraint; tools: ToolDef[] }
  | { mode: 'auto'; tools: ToolDef[] };

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Reads and checks `tools` (OpenAI's `{type: 'function', function: {name, description?, parameters?}}`). */
export function readTools(tools: ChatCompletionRequest['tools']): ToolDef[] {
  const out: ToolDef[] = [];
  (tools ?? []).forEach((t, i) => {
    const fn = (t as { function?: unknown }).function as Record<string, unknown> | undefined;
    if (t.type !== 'function' || fn === null || typeof fn !== 'object') {
      throw new ServerError(
        'DTE_ERR_SERVER_INVALID_REQUEST',
        `tools[${i}] must be {type: 'function', function: {...}}.`,
        {
          param: `tools.${i}`,
        },
      );
    }
    if (typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) {
      throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', `tools[${i}].function.name must match ${TOOL_NAME}.`, {
        param: `tools.${i}.function.name`,
      });
    }
    if (out.some((o) => o.name === fn.name)) {
      throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', `tools[${i}]: duplicate function name ${fn.name}.`, {
        param: `tools.${i}.function.name`,
      });
    }
    out.push({
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      ...(fn.parameters !== undefined ? { parameters: fn.parameters } : {}),
    });
  });
  return out;
}

function withParam(err: unknown, param: string): ServerError {
  const e = toServerError(err);
  return new ServerError(e.code, e.message, { param, cause: err });
}

/**
 * Turns `response_format`, `tools` and `tool_choice` into a {@link StructuredPlan} with the token
 * constraint that enforces it.
 * @throws ServerError 400 (`DTE_ERR_SERVER_UNSUPPORTED_SCHEMA` for schemas outside the supported subset).
 */
export function planStructured(body: ChatCompletionRequest, tokenizer: ConstraintTokenizer): StructuredPlan {
  const tools = readTools(body.tools);
  const choice = body.tool_choice ?? (tools.length > 0 ? 'auto' : 'none');
  if (choice !== 'none') {
    if (tools.length === 0) {
      throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', 'tool_choice needs tools.', { param: 'tool_choice' });
    }
    let chosen = tools;
    if (typeof choice === 'object') {
      chosen = tools.filter((t) => t.name === choice.function.name);
      if (chosen.length === 0) {
        throw new ServerError(
          'DTE_ERR_SERVER_INVALID_REQUEST',
          `tool_choice names ${choice.function.name}, which is not in tools.`,
          { param: 'tool_choice' },
        );
      }
    }
    let node: ReturnType<typeof toolCallNode>;
    try {
      node = toolCallNode(chosen.map((t) => ({ name: t.name, parameters: t.parameters })));
    } catch (err) {
      throw withParam(err, 'tools');
    }
    if (choice === 'auto') return { mode: 'auto', tools };
    return { mode: 'call', constraint: new JsonConstraint(node, tokenizer), tools: chosen };
  }
  const rf = body.response_format;
  if (rf == null || rf.type === 'text') return { mode: 'text' };
  if (rf.type === 'json_object') return { mode: 'json', constraint: JsonConstraint.jsonObject(tokenizer) };
  const schema = rf.json_schema.schema ?? { type: 'object' };
  try {
    return { mode: 'json', constraint: JsonConstraint.fromSchema(schema, tokenizer) };
  } catch (err) {
    throw withParam(err, 'response_format.json_schema.schema');
  }
}
