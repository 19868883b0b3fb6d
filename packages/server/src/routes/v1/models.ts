import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ServerError } from '../../ServerError.ts';

/** `GET /v1/models` and `GET /v1/models/:model`: the served model, OpenAI's shape. */
export const modelsRoute: FastifyPluginAsyncZod = async (app) => {
  const card = () => {
    const served = app.served;
    if (served === null) return null;
    return {
      id: served.id,
      object: 'model',
      created: served.created,
      owned_by: 'dte',
      max_model_len: served.maxModelLen,
    };
  };
  const agentCards = () =>
    app.served === null
      ? []
      : (app.chatAgents?.list() ?? []).map((a) => ({
          id: a.id,
          object: 'model',
          created: app.served!.created,
          owned_by: 'dte-agent',
          max_model_len: app.served!.maxModelLen,
        }));
  app.get('/v1/models', async () => {
    const c = card();
    return { object: 'list', data: c === null ? [] : [c, ...agentCards()] };
  });
  app.get<{ Params: { model: string } }>('/v1/models/:model', async (req) => {
    const c = card();
    if (c === null || c.id !== req.params.model) {
      throw new ServerError('DTE_ERR_SERVER_MODEL_NOT_FOUND', `The model \`${req.params.model}\` does not exist.`, {
        param: 'model',
      });
    }
    return c;
  });
};
