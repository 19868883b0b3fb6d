import { DteError } from '@dte/echo-kit';
import type { AsyncEngine, Tokenizer } from '@dte/engine-core';
import { describe, expect, it } from 'vitest';
import { AAR_ERRORS, AarError, aarError } from './AarError.ts';
import { ActionChooser } from './ActionChooser.ts';
import { EchoMind } from './EchoMind.ts';
import { EchoWorld } from './EchoWorld.ts';
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

const request = { owner: 'a', context: 'here', legal: [0, 1], priority: 1, signal: new AbortController().signal };
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
  it('ActionChooser: too many actions, no legal action, no digit tokens, no answer', async () => {
    const digits = tokenizerOf('x0123456789');
    expect(() => new ActionChooser(silentEngine, digits, 'abcdefghij'.split(''))).toThrow(
      code('DTE_ERR_AAR_BAD_ARGUMENT'),
    );
    const chooser = new ActionChooser(silentEngine, digits, ['stay', 'go']);
    await expect(chooser.choose({ ...request, legal: [] })).rejects.toThrow(code('DTE_ERR_AAR_BAD_ARGUMENT'));
    await expect(chooser.choose(request)).rejects.toThrow(code('DTE_ERR_AAR_NO_ANSWER'));
    const noDigits = new ActionChooser(silentEngine, tokenizerOf('ab1'), ['stay', 'go']);
    expect(() => noDigits.digitTokens()).toThrow(code('DTE_ERR_AAR_NO_DIGIT_TOKENS'));
  });

  it('EchoMind and ReflexMind without an engine refuse to deliberate', async () => {
    const world = new EchoWorld({ seed: 1, sensorDim: 2, numActions: 2 });
    const mind = new EchoMind(world, 'a', { persona: 'p', actionNames: ['x', 'y'], fallbackReflex: () => 0 });
    const percept = {
      tick: 0,
      text: '',
      proprio: new Float32Array(9),
      sensation: new Float32Array(2),
      actionMask: new Uint8Array([1, 1]),
      reward: 0,
    };
    const sense = mind.sense(percept);
    await expect(mind.deliberate(percept, sense, new AbortController().signal)).rejects.toThrow(
      code('DTE_ERR_AAR_NO_ENGINE'),
    );
    await expect(new ReflexMind('r', () => 0).deliberate()).rejects.toThrow(code('DTE_ERR_AAR_NO_ENGINE'));
  });
});
