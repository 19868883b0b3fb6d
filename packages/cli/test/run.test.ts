import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import { describe, expect, it } from 'vitest';
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
    const metrics = JSON.parse(readFileSync(join(dirs[0]!, 'engine-metrics.json'), 'utf8'));
    expect(metrics.numGeneratedTokens).toBe(summary.decisions.thought);
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
