import {
  type ApiKeyEntry,
  apiKeysFromEnv,
  buildApp,
  loadApiKeysFile,
  loadServedModel,
  resolveServeConfig,
} from '@dte/server';
import pino from 'pino';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';
import { hostSimulation } from '../serve/hostSimulation.ts';

const usage = `Usage: dte serve --model MODEL.gguf [--host 127.0.0.1] [--port 8000] [--api-keys-file F]
                 [--kv-cache-memory 2GiB] [--max-num-seqs 64] [--scheduling-policy fcfs|priority]
                 [--backend cpu|cuda|auto|reference] [--served-model-name NAME] [--max-model-len N]
                 [--max-waiting 256] [--shutdown-grace 10] [--log-level info] [--seed N] [--config FILE.json]
                 [--arena foraging --agents N [--tick-ms 250]]

Serves an OpenAI-compatible API (/v1/models, /v1/completions, /v1/chat/completions, /v1/embeddings,
/health, /metrics). Settings: flags, then DTE_* environment variables (DTE_MODEL, DTE_PORT,
DTE_API_KEYS=sk-a,sk-b, DTE_KV_CACHE_MEMORY, ...), then the JSON --config file (camelCase fields).
API keys file: {"keys": [{"key": "sk-...", "routes": ["/v1/*"], "requestsPerMinute": 60, "tokensPerMinute": 100000}]}.
Logs are JSON lines (pino) on stderr. SIGINT/SIGTERM: stop accepting, let in-flight requests finish
for --shutdown-grace seconds, abort the rest, free the model; a second signal exits at once.
--arena foraging --agents N also hosts a live simulation whose agents think through the served model;
each is a chat model 'agent/<id>' (listed by /v1/models): its persona, attention and memories shape
the prompt, what you say enters its memory and attention, and its motor actions are offered as tools.`;

/** `dte serve`: the OpenAI-compatible HTTP server. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve a model over an OpenAI-compatible HTTP API',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        model: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'api-keys-file': { type: 'string' },
        'kv-cache-memory': { type: 'string' },
        'max-num-seqs': { type: 'string' },
        'scheduling-policy': { type: 'string' },
        backend: { type: 'string' },
        'served-model-name': { type: 'string' },
        'max-model-len': { type: 'string' },
        'max-waiting': { type: 'string' },
        'shutdown-grace': { type: 'string' },
        'log-level': { type: 'string' },
        seed: { type: 'string' },
        config: { type: 'string' },
        arena: { type: 'string' },
        agents: { type: 'string' },
        'tick-ms': { type: 'string' },
      },
      usage,
    );
    const { config: configFile, arena, agents: agentsFlag, 'tick-ms': tickMsFlag, ...flags } = values;
    if (arena !== undefined && arena !== 'foraging') {
      throw new CliError('DTE_ERR_CLI_USAGE', `unknown arena '${arena}' (available: foraging)`);
    }
    const numAgents = agentsFlag === undefined ? (arena ? 4 : 0) : Number(agentsFlag);
    const tickMs = tickMsFlag === undefined ? 250 : Number(tickMsFlag);
    if (!Number.isInteger(numAgents) || numAgents < 0 || (numAgents > 0 && arena === undefined)) {
      throw new CliError('DTE_ERR_CLI_USAGE', '--agents needs --arena foraging and a non-negative integer');
    }
    if (!Number.isInteger(tickMs) || tickMs < 1)
      throw new CliError('DTE_ERR_CLI_USAGE', '--tick-ms must be an integer ≥ 1');
    const config = resolveServeConfig({
      flags,
      env: process.env,
      ...(configFile !== undefined ? { configFile } : {}),
    });
    const log = pino({ name: 'dte-serve', level: config.logLevel }, pino.destination({ dest: 2, sync: true }));
    const keys: ApiKeyEntry[] = [
      ...(config.apiKeysFile !== undefined ? loadApiKeysFile(config.apiKeysFile) : []),
      ...apiKeysFromEnv(config.apiKeys),
    ];
    const t0 = performance.now();
    const served = await loadServedModel(config.model, {
      backend: config.backend,
      maxNumSeqs: config.maxNumSeqs,
      policy: config.schedulingPolicy,
      ...(config.servedModelName !== undefined ? { id: config.servedModelName } : {}),
      ...(config.kvCacheMemory !== undefined ? { kvCacheBytes: config.kvCacheMemory } : {}),
      ...(config.maxModelLen !== undefined ? { maxModelLen: config.maxModelLen } : {}),
      ...(config.seed !== undefined ? { seed: config.seed } : {}),
      onProgress: (stage, detail) =>
        log.info({ stage, ...detail, elapsedMs: Math.round(performance.now() - t0) }, `model loading: ${stage}`),
    });
    const sim = numAgents > 0 ? hostSimulation(served, { numAgents, seed: config.seed ?? 1, tickMs }) : null;
    const app = await buildApp({
      logger: log as unknown as Record<string, unknown>,
      served,
      ...(sim ? { agents: sim.directory } : {}),
      apiKeys: keys,
      maxWaiting: config.maxWaiting,
    });
    const address = await app.listen({ host: config.host, port: config.port });
    log.info({ address, model: served.id, apiKeys: keys.length, maxModelLen: served.maxModelLen }, 'serving');
    io.stderr.write(`dte serve: ${served.id} on ${address}/v1\n`);

    await new Promise<void>((resolve) => {
      let isStopping = false;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (isStopping) {
          log.warn({ signal }, 'second signal: exiting now');
          process.exit(130);
        }
        isStopping = true;
        void shutdown(signal).then(resolve);
      };
      const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
        app.isDraining = true;
        sim?.stop();
        const inFlight = served.engine.numRequests;
        log.info({ signal, inFlight, graceS: config.shutdownGraceS }, 'shutting down: draining in-flight requests');
        const deadline = performance.now() + config.shutdownGraceS * 1000;
        while (served.engine.numRequests > 0 && performance.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
        }
        const aborted = served.engine.numRequests;
        // Aborting ends the remaining streams, so the HTTP server can close its connections.
        await served.engine.close();
        await app.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        log.info({ aborted }, 'shut down');
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    return 0;
  },
};
