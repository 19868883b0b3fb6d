import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ServerError } from '../../ServerError.ts';
import { EmbeddingRequest } from './schemas.ts';

function inputsOf(input: EmbeddingRequest['input']): (string | number[])[] {
  if (typeof input === 'string') return [input];
  if (input.length > 0 && typeof input[0] === 'number') return [input as number[]];
  return input as (string | number[])[];
}

/** `POST /v1/embeddings`: mean-pooled, L2-normalised final hidden states, as floats or base64 (float32 LE). */
export const embeddingsRoute: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/embeddings', { schema: { body: EmbeddingRequest } }, async (req) => {
    const body = req.body;
    const served = app.requireModel(body.model);
    const inputs = inputsOf(body.input);
    const ids = inputs.map((x) => (typeof x === 'string' ? served.tokenizer.encode(x) : x));
    let numTokens = 0;
    for (const x of ids) {
      if (x.length === 0)
        throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', 'input must not be empty.', { param: 'input' });
      if (x.length > served.maxModelLen) {
        throw new ServerError(
          'DTE_ERR_SERVER_CONTEXT_LENGTH',
          `input has ${x.length} tokens; the maximum is ${served.maxModelLen}.`,
          { param: 'input' },
        );
      }
      if (x.some((t) => t >= served.tokenizer.vocabSize)) {
        throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', 'input token ids are outside the vocabulary.', {
          param: 'input',
        });
      }
      numTokens += x.length;
    }
    const vectors = await served.engine.embed(ids);
    const width = vectors[0]?.length ?? 0;
    if (body.dimensions != null && body.dimensions !== width) {
      throw new ServerError('DTE_ERR_SERVER_INVALID_REQUEST', `dimensions must be ${width} for this model.`, {
        param: 'dimensions',
      });
    }
    app.chargeTokens(req, numTokens);
    const asBase64 = body.encoding_format === 'base64';
    return {
      object: 'list',
      data: vectors.map((v, index) => ({
        object: 'embedding',
        index,
        embedding: asBase64 ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v),
      })),
      model: served.id,
      usage: { prompt_tokens: numTokens, total_tokens: numTokens },
    };
  });
};
