import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../src/CliError.ts';
import { runChat } from '../src/commands/chat.ts';
import { main } from '../src/main.ts';

/** Collects what a command writes. */
function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => {
    text += c.toString();
  });
  return { stream, text: () => text };
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A fake OpenAI-compatible server answering `/v1/models` and `/v1/chat/completions` as told. */
async function fakeServer(models: [number, unknown], chat: [number, unknown] = [200, {}]): Promise<string> {
  server = createServer((req, res) => {
    const [status, body] = req.url === '/v1/models' ? models : chat;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('dte chat --url: server failures are DTE_ERR_CLI_SERVER (exit status 1)', () => {
  it('an HTTP error from /v1/models', async () => {
    const url = await fakeServer([503, { error: 'down' }]);
    const out = sink();
    const err = sink();
    const status = await main(['chat', '--url', url], { stdout: out.stream, stderr: err.stream });
    expect(status).toBe(1);
    expect(err.text()).toMatch(/^dte: DTE_ERR_CLI_SERVER: GET http:\/\/127\.0\.0\.1:\d+\/v1\/models: HTTP 503/);
  });

  it('a server that serves no model', async () => {
    const url = await fakeServer([200, { data: [] }]);
    const err = sink();
    expect(await main(['chat', '--url', url], { stdout: sink().stream, stderr: err.stream })).toBe(1);
    expect(err.text()).toBe(`dte: DTE_ERR_CLI_SERVER: ${url} serves no model\n`);
  });

  it('a rejected chat completion keeps the server code in the message', async () => {
    const url = await fakeServer(
      [200, { data: [{ id: 'm' }] }],
      [400, { error: { code: 'DTE_ERR_SERVER_INVALID_REQUEST', message: 'max_tokens too large' } }],
    );
    const stdin = new PassThrough();
    stdin.end('hello\n');
    const failure = runChat(
      { url, maxTokens: 8, temperature: 0 },
      { stdin, stdout: sink().stream, stderr: sink().stream },
    );
    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(failure).rejects.toMatchObject({
      code: 'DTE_ERR_CLI_SERVER',
      message: 'POST /v1/chat/completions: HTTP 400 DTE_ERR_SERVER_INVALID_REQUEST: max_tokens too large',
    });
  });

  it('usage errors still exit with status 2', async () => {
    const err = sink();
    expect(await main(['chat'], { stdout: sink().stream, stderr: err.stream })).toBe(2);
    expect(err.text()).toMatch(/^dte: DTE_ERR_CLI_USAGE: /);
  });
});
