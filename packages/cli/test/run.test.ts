import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
import { defaultModel } from '../src/run/defaultModel.ts';
import { runDte as dte } from './support/runDte.ts';

describe('dte run', () => {
  it('runs the arena and writes byte-identical trajectories for the same seed', async () => {
    const a = mkdtempSync(join(tmpdir(), 'dte-run-'));
    const b = mkdtempSync(join(tmpdir(), 'dte-run-'));
    const ra = await dte(['run', '--no-model', '--agents', '4', '--ticks', '30', '--seed', '5', '--out', a]);
    const rb = await dte(['run', '--no-model', '--agents', '4', '--ticks', '30', '--seed', '5', '--out', b]);
    expect(ra.status).toBe(0);
    expect(rb.status).toBe(0);
    expect(ra.stdout).toMatch(/4 agents, 30 ticks \(seed 5\)/);
    const ta = readFileSync(join(a, 'trajectory.jsonl'), 'utf8');
    expect(ta).toBe(readFileSync(join(b, 'trajectory.jsonl'), 'utf8'));
    expect(ta.trim().split('\n')).toHaveLength(31);
    expect(JSON.parse(ta.split('\n')[0]!)).toEqual({
      type: 'header',
      arena: 'foraging',
      world: 'oases',
      agents: 4,
      seed: 5,
      ticks: 30,
      clock: 'lockstep',
      minds: 'reflex',
      model: null,
    });
    const summary = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ agents: 4, ticks: 30, seed: 5 });
    expect(JSON.parse(readFileSync(join(a, 'timings.json'), 'utf8')).tick_ms).toHaveLength(30);
  });

  it.skipIf(!hasSharedModel())('with a model, lockstep runs are byte-identical and agents think', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'dte-run-')), mkdtempSync(join(tmpdir(), 'dte-run-'))];
    for (const dir of dirs) {
      const args = ['run', '--model', sharedModel('stories260K.gguf'), '--agents', '3', '--ticks', '8', '--seed', '2'];
      const r = await dte([...args, '--think-every', '2', '--out', dir]);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('stories260K.gguf');
    }
    const [a, b] = dirs.map((d) => readFileSync(join(d, 'trajectory.jsonl'), 'utf8'));
    expect(b).toBe(a);
    const summary = JSON.parse(readFileSync(join(dirs[0]!, 'summary.json'), 'utf8'));
    expect(summary.decisions.thought).toBeGreaterThan(0);
    // The header says who decided: echo minds thinking through this model.
    expect(JSON.parse(a!.split('\n')[0]!)).toMatchObject({
      type: 'header',
      minds: 'echo',
      model: 'stories260K.gguf',
      think_every: 2,
      feedback: 'on',
    });
    const metrics = JSON.parse(readFileSync(join(dirs[0]!, 'engine-metrics.json'), 'utf8'));
    // One generated token per thought that asked the engine (a single option is taken without asking).
    expect(metrics.numGeneratedTokens).toBeGreaterThan(0);
    expect(metrics.numGeneratedTokens).toBeLessThanOrEqual(summary.decisions.thought);
  });

  it('without --model, the header names the default model the minds think through', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dte-run-'));
    const r = await dte(['run', '--agents', '2', '--ticks', '4', '--seed', '3', '--think-every', '1', '--out', dir]);
    expect(r.status).toBe(0);
    const header = JSON.parse(readFileSync(join(dir, 'trajectory.jsonl'), 'utf8').split('\n')[0]!);
    const { path, trained } = defaultModel();
    expect(header).toMatchObject({ minds: 'echo', model: basename(path), model_trained: trained, think_every: 1 });
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).decisions.thought).toBeGreaterThan(0);
  });

  it('rejects bad options with a usage error and exit status 2', async () => {
    for (const args of [
      ['run', '--agents', '0'],
      ['run', '--clock', 'sometimes'],
      ['run', '--arena', 'ocean'],
      ['run', '--bogus'],
    ]) {
      const r = await dte(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^dte: DTE_ERR_CLI_USAGE: /);
    }
  });
});
