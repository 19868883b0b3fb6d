import { DteError } from '@dte/echo-kit';
import type { AsyncEngine, Tokenizer } from '@dte/engine-core';
import { describe, expect, it } from 'vitest';
import { AAR_ERRORS, AarError, aarError } from './AarError.ts';
import { buildEchoRun } from './buildEchoRun.ts';
import { EngineChooser } from './Chooser.ts';
import { EchoMind } from './EchoMind.ts';
import { ReflexMind } from './ReflexMind.ts';

/** A tokenizer whose vocabulary is the given one-byte pieces. */
function tokenizerOf(pieces: string): Tokenizer {
  const enc = new TextEncoder();
  return {
    vocabSize: pieces.length,
    tokenBytes: (id: number) => enc.encode(pieces[id]!),
    isSpecial: () => false,
  } as unknown as Tokenizer;
}

/** An engine whose every generation ends without a token (as an aborted request does). */
const silentEngine = {
  async *generate() {},
} as unknown as AsyncEngine;

const request = {
  owner: 'a',
  context: 'here',
  options: ['go', 'stay'],
  priority: 1,
  signal: new AbortController().signal,
};
const code = (c: string) => expect.objectContaining({ code: c, name: 'AarError' });

describe('AAR error registry', () => {
  it('has every key equal to its code', () => {
    for (const [key, spec] of Object.entries(AAR_ERRORS)) expect(spec.code).toBe(key);
  });

  it('builds typed errors from the registry', () => {
    const e = aarError('DTE_ERR_AAR_NO_ANSWER', 'X.choose');
    expect(e).toBeInstanceOf(AarError);
    expect(e).toBeInstanceOf(DteError);
    expect(e.code).toBe('DTE_ERR_AAR_NO_ANSWER');
    expect(e.name).toBe('AarError');
    expect(e.message).toBe('X.choose: the engine returned no option token');
  });
});

describe('AAR throws its codes', () => {
  it('EngineChooser: no option, too many options, no digit tokens, no answer', async () => {
    const digits = tokenizerOf('x0123456789');
    const chooser = new EngineChooser(silentEngine, digits);
    await expect(chooser.choose({ ...request, options: [] })).rejects.toThrow(code('DTE_ERR_AAR_BAD_ARGUMENT'));
    await expect(chooser.choose({ ...request, options: 'abcdefghij'.split('') })).rejects.toThrow(
      code('DTE_ERR_AAR_BAD_ARGUMENT'),
    );
    await expect(chooser.choose(request)).rejects.toThrow(code('DTE_ERR_AAR_NO_ANSWER'));
    const noDigits = new EngineChooser(silentEngine, tokenizerOf('ab1'));
    expect(() => noDigits.digitTokens()).toThrow(code('DTE_ERR_AAR_NO_DIGIT_TOKENS'));
  });

  it('minds without an engine refuse to deliberate; buildEchoRun refuses what it cannot wire', async () => {
    const mind = new EchoMind('a', {
      persona: 'p',
      actionNames: ['stay', 'forward', 'turn_left', 'turn_right', 'eat', 'drink'],
      regrowth: { waterRefillTicks: 1, foodRegrowTicks: 1 },
    });
    const run = buildEchoRun({ agents: 1, seed: 1, ticks: 1, variant: 'reflex_only' });
    const percept = run.adapter.reset(1).agent_0!;
    const sense = mind.sense(percept);
    await expect(mind.deliberate(percept, sense, new AbortController().signal)).rejects.toThrow(
      code('DTE_ERR_AAR_NO_ENGINE'),
    );
    await expect(new ReflexMind('r', () => 0).deliberate()).rejects.toThrow(code('DTE_ERR_AAR_NO_ENGINE'));
    expect(() => buildEchoRun({ agents: 1, seed: 1, ticks: 1, variant: 'full' })).toThrow(
      code('DTE_ERR_AAR_NO_ENGINE'),
    );
    expect(() => buildEchoRun({ agents: 0, seed: 1, ticks: 1, variant: 'random' })).toThrow(
      code('DTE_ERR_AAR_BAD_ARGUMENT'),
    );
    expect(() => buildEchoRun({ agents: 1, seed: 1, ticks: 1, variant: 'nope' as never })).toThrow(
      code('DTE_ERR_AAR_BAD_ARGUMENT'),
    );
    expect(() => buildEchoRun({ agents: 1, seed: 1, ticks: 1, variant: 'teacher', clock: 'paced' })).toThrow(
      code('DTE_ERR_AAR_BAD_ARGUMENT'),
    );
  });
});
