import { compileSchema, validateJson } from '@dte/engine-core';
import { hasSharedModel, schemaArbitrary } from '@dte/testkit';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ajvErrors } from './support/ajvErrors.ts';
import { MODEL_ID, storiesApp } from './support/storiesApp.ts';

const WEATHER = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] }, days: { type: 'integer' } },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};
const MOVE = {
  type: 'function' as const,
  function: {
    name: 'move',
    parameters: {
      type: 'object',
      properties: { direction: { enum: ['north', 'south', 'east', 'west'] }, steps: { type: 'integer' } },
      required: ['direction'],
    },
  },
};

describe.skipIf(!hasSharedModel())(
  'structured outputs and tools with the official openai client (stories260K: the mask does the work)',
  () => {
    let app: FastifyInstance;
    let client: OpenAI;
    beforeAll(async () => {
      ({ app } = await storiesApp());
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      client = new OpenAI({ baseURL: `${address}/v1`, apiKey: 'none', maxRetries: 0 });
    });
    afterAll(async () => {
      await app.close();
    });

    it('property: json_schema replies parse and validate for many random schemas', async () => {
      const schemas = fc.sample(schemaArbitrary(), { numRuns: 16, seed: 2024 });
      const replies = await Promise.all(
        schemas.map((schema, i) =>
          client.chat.completions.create({
            model: MODEL_ID,
            messages: [{ role: 'user', content: 'Once upon a time' }],
            response_format: { type: 'json_schema', json_schema: { name: `s${i}`, schema, strict: true } },
            max_tokens: compileSchema(schema).minLen + 1 + (i % 4) * 10,
            temperature: 1,
            seed: i,
          }),
        ),
      );
      replies.forEach((res, i) => {
        const choice = res.choices[0]!;
        expect(choice.finish_reason).toBe('stop');
        expect(validateJson(JSON.parse(choice.message.content!), schemas[i]), choice.message.content!).toEqual([]);
        expect(ajvErrors(JSON.parse(choice.message.content!), schemas[i]), choice.message.content!).toEqual([]);
      });
    });

    it('json_object: the reply is a JSON object', async () => {
      const res = await client.chat.completions.create({
        model: MODEL_ID,
        messages: [{ role: 'user', content: 'Tell me a story' }],
        response_format: { type: 'json_object' },
        max_tokens: 48,
        temperature: 0.8,
        seed: 3,
      });
      const v = JSON.parse(res.choices[0]!.message.content!);
      expect(typeof v === 'object' && v !== null && !Array.isArray(v)).toBe(true);
      expect(res.choices[0]!.finish_reason).toBe('stop');
    });

    it('a forced named tool call parses and validates against its parameters', async () => {
      const res = await client.chat.completions.create({
        model: MODEL_ID,
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [MOVE, WEATHER],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        max_tokens: 60,
        temperature: 1,
        seed: 9,
      });
      const choice = res.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.content).toBeNull();
      const call = choice.message.tool_calls![0]!;
      expect(call.type).toBe('function');
      if (call.type !== 'function') throw new Error('not a function call');
      expect(call.id).toMatch(/^call_/);
      expect(call.function.name).toBe('get_weather');
      expect(validateJson(JSON.parse(call.function.arguments), WEATHER.function.parameters)).toEqual([]);
      expect(ajvErrors(JSON.parse(call.function.arguments), WEATHER.function.parameters)).toEqual([]);
    });

    it('tool_choice required picks one of the tools, arguments valid for that tool', async () => {
      for (let seed = 0; seed < 4; seed++) {
        const res = await client.chat.completions.create({
          model: MODEL_ID,
          messages: [{ role: 'user', content: 'Go' }],
          tools: [MOVE, WEATHER],
          tool_choice: 'required',
          max_tokens: 60,
          temperature: 1,
          seed,
        });
        const call = res.choices[0]!.message.tool_calls![0]!;
        if (call.type !== 'function') throw new Error('not a function call');
        const tool = [MOVE, WEATHER].find((t) => t.function.name === call.function.name)!;
        expect(tool).toBeDefined();
        expect(validateJson(JSON.parse(call.function.arguments), tool.function.parameters)).toEqual([]);
        expect(ajvErrors(JSON.parse(call.function.arguments), tool.function.parameters)).toEqual([]);
      }
    });

    it('streaming tool calls assemble into the same call as the non-streaming reply', async () => {
      const req = {
        model: MODEL_ID,
        messages: [{ role: 'user' as const, content: 'Go north' }],
        tools: [MOVE, WEATHER],
        tool_choice: 'required' as const,
        max_tokens: 60,
        temperature: 1,
        seed: 77,
      };
      const whole = await client.chat.completions.create(req);
      const stream = await client.chat.completions.create({ ...req, stream: true });
      let id: string | undefined;
      let name = '';
      let args = '';
      let finish: string | null = null;
      let numArgChunks = 0;
      for await (const chunk of stream) {
        const c = chunk.choices[0];
        if (c === undefined) continue;
        for (const tc of c.delta.tool_calls ?? []) {
          expect(tc.index).toBe(0);
          if (tc.id !== undefined) id = tc.id;
          name += tc.function?.name ?? '';
          if (tc.function?.arguments) numArgChunks++;
          args += tc.function?.arguments ?? '';
        }
        if (c.finish_reason !== null) finish = c.finish_reason;
      }
      const call = whole.choices[0]!.message.tool_calls![0]!;
      if (call.type !== 'function') throw new Error('not a function call');
      expect(id).toMatch(/^call_/);
      expect(finish).toBe('tool_calls');
      expect(name).toBe(call.function.name);
      expect(args).toBe(call.function.arguments);
      expect(numArgChunks).toBeGreaterThan(1);
    });

    it('streaming json_schema content parses', async () => {
      const schema = {
        type: 'object',
        properties: { a: { type: 'array', items: { type: 'integer' }, minItems: 2 } },
        required: ['a'],
      };
      const stream = await client.chat.completions.create({
        model: MODEL_ID,
        messages: [{ role: 'user', content: 'numbers' }],
        response_format: { type: 'json_schema', json_schema: { name: 'nums', schema } },
        max_tokens: 30,
        stream: true,
        seed: 1,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(validateJson(JSON.parse(text), schema)).toEqual([]);
      expect(ajvErrors(JSON.parse(text), schema), text).toEqual([]);
    });

    it('a schema outside the subset is a typed 400', async () => {
      const err = await client.chat.completions
        .create({
          model: MODEL_ID,
          messages: [{ role: 'user', content: 'x' }],
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'p', schema: { type: 'string', pattern: '^a' } },
          },
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('DTE_ERR_SERVER_UNSUPPORTED_SCHEMA');
      expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('response_format.json_schema.schema');
    });

    it('tool_choice naming an unknown tool is a 400', async () => {
      const err = await client.chat.completions
        .create({
          model: MODEL_ID,
          messages: [{ role: 'user', content: 'x' }],
          tools: [MOVE],
          tool_choice: { type: 'function', function: { name: 'fly' } },
        })
        .catch((e: unknown) => e);
      expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('DTE_ERR_SERVER_INVALID_REQUEST');
    });

    it('tool_choice auto with a story model answers in text', async () => {
      const res = await client.chat.completions.create({
        model: MODEL_ID,
        messages: [{ role: 'user', content: 'Once upon a time' }],
        tools: [MOVE],
        max_tokens: 12,
        temperature: 0,
      });
      expect(res.choices[0]!.message.tool_calls).toBeUndefined();
      expect(res.choices[0]!.message.content!.length).toBeGreaterThan(0);
    });
  },
);
