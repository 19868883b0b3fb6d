import fp from 'fastify-plugin';
import type { ServedModel } from '../ServedModel.ts';
import { ServerError } from '../ServerError.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The served model, or null when the app runs without one (viewer only). */
    served: ServedModel | null;
    /** The served model; throws 503 when none, 404 when `model` names another one. */
    requireModel(model?: string): ServedModel;
    /** True once shutdown began: new generations are refused with 503. */
    isDraining: boolean;
  }
}

/** Options of {@link enginePlugin}. */
export interface EnginePluginOptions {
  served: ServedModel | null;
  /** Waiting sequences beyond which new requests get 503 + `Retry-After`. Default 256. */
  maxWaiting?: number;
  /** Close the served model with the app. Default true. */
  closeWithApp?: boolean;
}

/** The engine handle: decorates the app with the served model and guards it (unknown model, overload, shutdown). */
export const enginePlugin = fp<EnginePluginOptions>(
  async (app, opts) => {
    const maxWaiting = opts.maxWaiting ?? 256;
    app.decorate('served', opts.served);
    app.decorate('isDraining', false);
    app.decorate('requireModel', (model?: string): ServedModel => {
      const served = opts.served;
      if (served === null) throw new ServerError('DTE_ERR_SERVER_NO_MODEL', 'No model is loaded.');
      if (model !== undefined && model !== served.id) {
        throw new ServerError('DTE_ERR_SERVER_MODEL_NOT_FOUND', `The model \`${model}\` does not exist.`, {
          param: 'model',
        });
      }
      if (app.isDraining) {
        throw new ServerError('DTE_ERR_SERVER_SHUTTING_DOWN', 'The server is shutting down.', { retryAfterS: 5 });
      }
      // Not engine.metrics(): that also summarises the latency windows (sorts), too much per request.
      if (served.engine.numWaiting >= maxWaiting) {
        throw new ServerError('DTE_ERR_SERVER_OVERLOADED', 'The server is overloaded; retry later.', {
          retryAfterS: 1,
        });
      }
      return served;
    });
    if (opts.served !== null && (opts.closeWithApp ?? true)) {
      const served = opts.served;
      app.addHook('onClose', async () => {
        await served.close();
      });
    }
  },
  { name: 'dte-engine' },
);
