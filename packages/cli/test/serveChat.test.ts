import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { buildApp, loadServedModel, readSse } from '@dte/server';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { runChat } from '../src/commands/chat.ts';
import { main } from '../src/main.ts';

const BIN = fileURLToPath(new URL('../bin/dte.js', import.meta.url));
const MODEL = sharedModel('stories260K.gguf');

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => {
    text += c.toString();
  });
  return { stream, text: () => text };
}

/** Spawns `dte ARGS` and resolves once it exits. */
function spawnDte(
  args: string[],
  stdin?: string,
): { child: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  if (stdin !== undefined) child.stdin!.end(stdin);
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    child.on('exit', (code) => resolve({ code, out, err }));
  });
  return { child, done };
}

describe('dte serve: configuration errors', () => {
  it('rejects bad flags and environment with DTE_ERR_SERVER_BAD_CONFIG before loading anything', async () => {
    const out = collect();
    const err = collect();
    const code = await main(['serve', '--model', 'nope.gguf', '--port', '99999'], {
      stdout: out.stream,
      stderr: err.stream,
    });
    expect(code).toBe(1);
    expect(err.text()).toMatch(/^dte: DTE_ERR_SERVER_BAD_CONFIG: .*--port '99999'/);
    const code2 = await main(['serve', '--model', 'nope.gguf', '--kv-cache-memory', 'lots'], {
      stdout: out.stream,
      stderr: err.stream,
    });
    expect(code2).toBe(1);
    expect(err.text()).toContain('--kv-cache-memory');
  });
});

describe.skipIf(!hasSharedModel())('dte chat and dte serve (stories260K, reference backend)', () => {
  it('runChat streams greedy replies for piped lines; /reset and /exit work', async () => {
    const served = await loadServedModel(MODEL, { backend: 'reference', kvCacheBytes: 8 << 20 });
    const app = await buildApp({ served });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const direct = await app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        payload: {
          model: served.id,
          messages: [{ role: 'user', content: 'Once upon a time' }],
          max_tokens: 12,
          temperature: 0,
        },
      });
      const expected = direct.json().choices[0].message.content as string;
      const stdin = new PassThrough();
      const out = collect();
      const err = collect();
      stdin.end('Once upon a time\n/reset\nOnce upon a time\n/exit\nnever read\n');
      const code = await runChat(
        { url, maxTokens: 12, temperature: 0 },
        { stdin, stdout: out.stream, stderr: err.stream },
      );
      expect(code).toBe(0);
      // After /reset the same message gives the same greedy reply; nothing after /exit is sent.
      expect(out.text()).toBe(`${expected}\n${expected}\n`);
      expect(err.text()).toContain('reset');
    } finally {
      await app.close();
    }
  });

  it('`dte chat --model` with piped stdin (a real process) prints the streamed reply', async () => {
    const { done } = spawnDte(
      ['chat', '--model', MODEL, '--backend', 'reference', '--max-tokens', '8', '--temperature', '0'],
      'Once upon a time\n',
    );
    const { code, out, err } = await done;
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trim().length).toBeGreaterThan(0);
  });

  it('`dte serve` answers, then SIGTERM aborts the in-flight stream (grace 0) and exits 0', async () => {
    const { child, done } = spawnDte([
      'serve',
      '--model',
      MODEL,
      '--backend',
      'reference',
      '--port',
      '0',
      '--shutdown-grace',
      '0',
      '--log-level',
      'info',
    ]);
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (c: Buffer) => {
        stderr += c.toString();
        const m = /dte serve: \S+ on (http:\/\/[^\s]+)\/v1/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    expect(stderr).toContain('model loading: ready');
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'stories260K',
        messages: [{ role: 'user', content: 'Once' }],
        max_tokens: 1500,
        ignore_eos: true,
        stream: true,
      }),
    });
    let numChunks = 0;
    let finish: unknown = null;
    for await (const chunk of readSse(res)) {
      if (++numChunks === 3) child.kill('SIGTERM');
      const c = (chunk.choices as { finish_reason: unknown }[])[0];
      if (c?.finish_reason) finish = c.finish_reason;
    }
    // The stream ended properly ([DONE]) long before 1500 tokens.
    expect(finish).toBe('stop');
    expect(numChunks).toBeLessThan(1000);
    const { code, err } = await done;
    expect(code).toBe(0);
    expect(err).toContain('shutting down');
    expect(err).toMatch(/"aborted":1/);
  });

  it('`dte serve` SIGTERM with a grace period lets the in-flight request finish', async () => {
    const { child, done } = spawnDte([
      'serve',
      '--model',
      MODEL,
      '--backend',
      'reference',
      '--port',
      '0',
      '--shutdown-grace',
      '30',
    ]);
    const url = await listeningUrl(child);
    const pending = fetch(`${url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'stories260K', prompt: 'Once', max_tokens: 300, ignore_eos: true }),
    });
    for (let i = 0; i < 500; i++) {
      const m = await (await fetch(`${url}/metrics`)).text();
      if (/^dte_num_requests_running 1$/m.test(m)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGTERM');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(300);
    const { code, err } = await done;
    expect(code).toBe(0);
    expect(err).toMatch(/"inFlight":1/);
    expect(err).toMatch(/"aborted":0/);
  });
});

describe.skipIf(!hasSharedModel() || !existsSync('/usr/bin/script'))(
  'dte chat in a pseudo-terminal (util-linux script)',
  () => {
    it('shows the banner and prompts, streams a reply, exits on /exit', async () => {
      const cmd = `${process.execPath} ${BIN} chat --model ${MODEL} --backend reference --max-tokens 8 --temperature 0`;
      const child = spawn('/usr/bin/script', ['-q', '-e', '-c', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let screen = '';
      let stage = 0;
      child.stdout.on('data', (c: Buffer) => {
        screen += c.toString();
        if (stage === 0 && screen.includes('> ')) {
          stage = 1;
          child.stdin.write('Once upon a time\r');
        } else if (stage === 1 && screen.split('> ').length >= 3) {
          stage = 2;
          child.stdin.write('/exit\r');
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      expect(screen).toContain('chatting with stories260K');
      expect(stage).toBe(2);
      // The reply sits between the echoed message and the next prompt.
      const reply = screen
        .slice(screen.indexOf('Once upon a time') + 'Once upon a time'.length)
        .split('> ')[0]!
        .trim();
      expect(reply.length).toBeGreaterThan(0);
    });
  },
);

function listeningUrl(child: ChildProcess): Promise<string> {
  let stderr = '';
  return new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /dte serve: \S+ on (http:\/\/[^\s]+)\/v1/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
}
