import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseByteSize, resolveServeConfig, SERVE_CONFIG_SOURCES, ServeConfig } from '../src/index.ts';

function configFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dte-serve-')), 'serve.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const badConfig = expect.objectContaining({ code: 'DTE_ERR_SERVER_BAD_CONFIG' });

describe('resolveServeConfig', () => {
  it('defaults', () => {
    const c = resolveServeConfig({ flags: { model: 'm.gguf' } });
    expect(c).toMatchObject({
      model: 'm.gguf',
      host: '127.0.0.1',
      port: 8000,
      maxNumSeqs: 64,
      schedulingPolicy: 'fcfs',
      backend: 'cpu',
      logLevel: 'info',
    });
    expect(c.kvCacheMemory).toBeUndefined();
  });

  it('flags override environment, which overrides the file', () => {
    const file = configFile({ model: 'file.gguf', port: 7000, maxNumSeqs: 4, host: '0.0.0.0', kvCacheMemory: '1GiB' });
    const c = resolveServeConfig({
      flags: { port: '9000' },
      env: { DTE_PORT: '8500', DTE_MAX_NUM_SEQS: '8', DTE_SCHEDULING_POLICY: 'priority' },
      configFile: file,
    });
    expect(c).toMatchObject({
      model: 'file.gguf',
      port: 9000,
      maxNumSeqs: 8,
      host: '0.0.0.0',
      schedulingPolicy: 'priority',
      kvCacheMemory: 2 ** 30,
    });
  });

  it('names the bad setting and where it came from', () => {
    expect(() => resolveServeConfig({ flags: {} })).toThrow(badConfig);
    expect(() => resolveServeConfig({ flags: { model: 'm', port: '-1' } })).toThrow(/--port '-1'/);
    expect(() => resolveServeConfig({ flags: { model: 'm' }, env: { DTE_MAX_NUM_SEQS: 'many' } })).toThrow(
      /\$DTE_MAX_NUM_SEQS 'many'/,
    );
    expect(() => resolveServeConfig({ flags: { model: 'm', 'scheduling-policy': 'random' } })).toThrow(badConfig);
    expect(() =>
      resolveServeConfig({ flags: { model: 'm' }, configFile: configFile({ kvCacheMemory: 'lots' }) }),
    ).toThrow(/kvCacheMemory 'lots'/);
    expect(() => resolveServeConfig({ flags: { model: 'm' }, configFile: configFile({ prot: 1 }) })).toThrow(
      /unknown field prot/,
    );
    expect(() => resolveServeConfig({ flags: { model: 'm' }, configFile: configFile('{') })).toThrow(badConfig);
    expect(() => resolveServeConfig({ flags: { model: 'm' }, configFile: '/nonexistent/serve.json' })).toThrow(
      badConfig,
    );
  });

  it('every setting has a flag and an environment variable', () => {
    expect(Object.keys(SERVE_CONFIG_SOURCES).sort()).toEqual(Object.keys(ServeConfig.shape).sort());
    for (const { env } of Object.values(SERVE_CONFIG_SOURCES)) expect(env).toMatch(/^DTE_[A-Z_]+$/);
  });
});

describe('parseByteSize', () => {
  it('parses bytes and units, rejects the rest', () => {
    expect(parseByteSize('2GiB')).toBe(2 * 2 ** 30);
    expect(parseByteSize('512MiB')).toBe(512 * 2 ** 20);
    expect(parseByteSize('1.5GB')).toBe(1.5e9);
    expect(parseByteSize('100k')).toBe(100_000);
    expect(parseByteSize('4096')).toBe(4096);
    expect(parseByteSize(1024)).toBe(1024);
    for (const bad of ['', 'lots', '-1GiB', '2XB', '0', 0, Number.NaN]) expect(parseByteSize(bad)).toBeUndefined();
  });
});
