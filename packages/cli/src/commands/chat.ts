import { createInterface } from 'node:readline';
import { buildApp, loadServedModel, parseByteSize, readSse } from '@dte/server';
import { parseBackend } from '../backendOption.ts';
import { CliError } from '../CliError.ts';
import type { Command, CommandIo } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';

const usage = `Usage: dte chat (--model MODEL.gguf | --url http://127.0.0.1:8000) [--system TEXT]
                [--max-tokens 256] [--temperature 0.7] [--seed N] [--api-key KEY]
                [--backend cpu|cuda|auto|reference] [--kv-cache-memory 256MiB]

An interactive chat that streams the reply token by token. --model loads the model in this process;
--url talks to a running 'dte serve' (or any OpenAI-compatible server; key from --api-key,
DTE_API_KEY or OPENAI_API_KEY). One message per line; /reset forgets the conversation, /exit or
end of input quits; Ctrl-C stops a reply. Piped stdin works (replies go to stdout, one per line).`;

/** Settings of {@link runChat}. */
export interface ChatOptions {
  /** Base URL of the server (without `/v1`). */
  url: string;
  apiKey?: string;
  system?: string;
  maxTokens: number;
  temperature: number;
  seed?: number;
}

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The chat loop over an OpenAI-compatible server: reads lines from `stdin`, streams each reply to
 * stdout. Returns the exit status.
 */
export async function runChat(options: ChatOptions, io: CommandIo & { stdin: NodeJS.ReadableStream }): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const modelsRes = await fetch(`${options.url}/v1/models`, { headers });
  if (!modelsRes.ok)
    throw new CliError(
      'DTE_ERR_CLI_SERVER',
      `GET ${options.url}/v1/models: HTTP ${modelsRes.status} ${await modelsRes.text()}`,
    );
  const model = ((await modelsRes.json()) as { data: { id: string }[] }).data[0]?.id;
  if (model === undefined) throw new CliError('DTE_ERR_CLI_SERVER', `${options.url} serves no model`);
  const isTty = (io.stdin as { isTTY?: boolean }).isTTY === true;
  if (isTty) io.stderr.write(`chatting with ${model} (/reset, /exit)\n`);
  const history: Message[] = options.system ? [{ role: 'system', content: options.system }] : [];
  const rl = createInterface({ input: io.stdin, terminal: false });
  let current: AbortController | undefined;
  const onSigint = (): void => {
    if (current) current.abort();
    else rl.close();
  };
  process.on('SIGINT', onSigint);
  try {
    if (isTty) io.stdout.write('> ');
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/exit' || line === '/quit') break;
      if (line === '/reset') {
        history.splice(options.system ? 1 : 0);
        io.stderr.write('(conversation reset)\n');
      } else if (line !== '') {
        history.push({ role: 'user', content: line });
        current = new AbortController();
        const reply = await streamReply(options, headers, model, history, io, current.signal);
        current = undefined;
        history.push({ role: 'assistant', content: reply });
        io.stdout.write('\n');
      }
      if (isTty) io.stdout.write('> ');
    }
  } finally {
    process.off('SIGINT', onSigint);
    rl.close();
  }
  return 0;
}

async function streamReply(
  options: ChatOptions,
  headers: Record<string, string>,
  model: string,
  messages: Message[],
  io: CommandIo,
  signal: AbortSignal,
): Promise<string> {
  const body = {
    model,
    messages,
    stream: true,
    max_tokens: options.maxTokens,
    temperature: options.temperature,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  let text = '';
  try {
    const res = await fetch(`${options.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok) {
      const err = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      // The server's own code (e.g. DTE_ERR_SERVER_INVALID_REQUEST), when it sent one, leads the message.
      const why = [err.error?.code, err.error?.message].filter(Boolean).join(': ');
      throw new CliError('DTE_ERR_CLI_SERVER', `POST /v1/chat/completions: HTTP ${res.status}${why ? ` ${why}` : ''}`);
    }
    for await (const chunk of readSse(res)) {
      const choices = chunk.choices as { delta?: { content?: string } }[] | undefined;
      const piece = choices?.[0]?.delta?.content ?? '';
      if (piece !== '') {
        text += piece;
        io.stdout.write(piece);
      }
    }
  } catch (err) {
    if (signal.aborted) io.stderr.write(' [stopped]');
    else throw err;
  }
  return text;
}

function numberOption(
  value: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  integer: boolean,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new CliError(
      'DTE_ERR_CLI_USAGE',
      `--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got '${value}'`,
    );
  }
  return n;
}

/** `dte chat`: interactive streaming chat with a local model or a running server. */
export const chatCommand: Command = {
  name: 'chat',
  summary: 'interactive streaming chat with a model (local or --url)',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        model: { type: 'string' },
        url: { type: 'string' },
        system: { type: 'string' },
        'max-tokens': { type: 'string' },
        temperature: { type: 'string' },
        seed: { type: 'string' },
        'api-key': { type: 'string' },
        backend: { type: 'string', default: 'cpu' },
        'kv-cache-memory': { type: 'string' },
      },
      usage,
    );
    if ((values.model === undefined) === (values.url === undefined)) {
      throw new CliError('DTE_ERR_CLI_USAGE', `give exactly one of --model or --url\n${usage}`);
    }
    const backend = parseBackend(values.backend, usage);
    const kvBytes = values['kv-cache-memory'] === undefined ? 256 << 20 : parseByteSize(values['kv-cache-memory']);
    if (kvBytes === undefined)
      throw new CliError('DTE_ERR_CLI_USAGE', `--kv-cache-memory: expected a size like 256MiB`);
    const seed = values.seed === undefined ? undefined : numberOption(values.seed, 'seed', 0, 0, 2 ** 32 - 1, true);
    const base = {
      maxTokens: numberOption(values['max-tokens'], 'max-tokens', 256, 1, 1 << 20, true),
      temperature: numberOption(values.temperature, 'temperature', 0.7, 0, 2, false),
      ...(values.system !== undefined ? { system: values.system } : {}),
      ...(seed !== undefined ? { seed } : {}),
    };
    const stdin = process.stdin;
    if (values.url !== undefined) {
      const apiKey = values['api-key'] ?? process.env.DTE_API_KEY ?? process.env.OPENAI_API_KEY;
      const url = values.url.replace(/\/+$/, '').replace(/\/v1$/, '');
      return runChat({ ...base, url, ...(apiKey ? { apiKey } : {}) }, { ...io, stdin });
    }
    // A local model: serve it on a private loopback port and chat through the same HTTP path.
    const served = await loadServedModel(values.model!, { backend, kvCacheBytes: kvBytes });
    const app = await buildApp({ served });
    try {
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      return await runChat({ ...base, url }, { ...io, stdin });
    } finally {
      await app.close();
    }
  },
};
