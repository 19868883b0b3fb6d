import { describe, expect, it } from 'vitest';
import { Sampler } from './Sampler.ts';
import { resolveSamplingParams, type SamplingParams } from './SamplingParams.ts';
import { Sequence } from './Sequence.ts';

const V = 8;

function seqWith(p: Partial<SamplingParams>, prompt = [0], seed = 1): Sequence {
  return new Sequence({
    seqId: 0,
    requestId: 'r',
    sampleIndex: 0,
    promptTokenIds: prompt,
    params: resolveSamplingParams(p, V),
    seed,
    priority: 0,
    ownerKey: undefined,
    arrivalOrder: 0,
    step: 0,
  });
}

const logits = Float32Array.from([1, 3, 2, 0.5, -1, 2.9, 0, 0]);

describe('Sampler', () => {
  const s = new Sampler(V);

  it('greedy picks the argmax', () => {
    expect(s.sample(logits, 0, seqWith({ temperature: 0 })).tokenId).toBe(1);
  });

  it('reads the right row at an offset', () => {
    const two = new Float32Array(2 * V);
    two.set(logits, V);
    two[2] = 10;
    expect(s.sample(two, V, seqWith({ temperature: 0 })).tokenId).toBe(1);
    expect(s.sample(two, 0, seqWith({ temperature: 0 })).tokenId).toBe(2);
  });

  it('logit bias, allowed mask and blocked ids change the choice', () => {
    expect(s.sample(logits, 0, seqWith({ temperature: 0, logitBias: { 4: 10 } })).tokenId).toBe(4);
    expect(s.sample(logits, 0, seqWith({ temperature: 0, allowedTokenIds: [3, 6] })).tokenId).toBe(3);
    expect(s.sample(logits, 0, seqWith({ temperature: 0 }), [1]).tokenId).toBe(5);
  });

  it('repetition penalty applies to prompt tokens, presence/frequency to output tokens', () => {
    expect(s.sample(logits, 0, seqWith({ temperature: 0, repetitionPenalty: 2 }, [1])).tokenId).toBe(5);
    const q = seqWith({ temperature: 0, frequencyPenalty: 0.1 });
    q.appendToken(1);
    expect(s.sample(logits, 0, q).tokenId).toBe(1); // 3 - 0.1 > 2.9
    q.appendToken(1);
    expect(s.sample(logits, 0, q).tokenId).toBe(5); // 3 - 0.2 < 2.9
    const r = seqWith({ temperature: 0, presencePenalty: 0.5 });
    r.appendToken(1);
    expect(s.sample(logits, 0, r).tokenId).toBe(5);
  });

  it('top_k 1 and tiny top_p are greedy; min_p drops unlikely tokens', () => {
    for (let seed = 0; seed < 20; seed++) {
      expect(s.sample(logits, 0, seqWith({ topK: 1 }, [0], seed)).tokenId).toBe(1);
      expect(s.sample(logits, 0, seqWith({ topP: 0.01 }, [0], seed)).tokenId).toBe(1);
      expect([1, 5]).toContain(s.sample(logits, 0, seqWith({ minP: 0.85 }, [0], seed)).tokenId);
      expect([1, 5]).toContain(s.sample(logits, 0, seqWith({ topK: 2 }, [0], seed)).tokenId);
    }
  });

  it('temperature sampling follows the distribution and is reproducible per seed', () => {
    const counts = new Array(V).fill(0);
    const q = seqWith({ temperature: 1 }, [0], 7);
    for (let i = 0; i < 4000; i++) counts[s.sample(logits, 0, q).tokenId]++;
    const z = Array.from(logits).reduce((a, x) => a + Math.exp(x), 0);
    for (let j = 0; j < V; j++) expect(counts[j] / 4000).toBeCloseTo(Math.exp(logits[j]!) / z, 1);
    const a = seqWith({}, [0], 99);
    const b = seqWith({}, [0], 99);
    const ra = Array.from({ length: 30 }, () => s.sample(logits, 0, a).tokenId);
    const rb = Array.from({ length: 30 }, () => s.sample(logits, 0, b).tokenId);
    expect(ra).toEqual(rb);
  });

  it('returns raw log-probabilities and the top alternatives', () => {
    const r = s.sample(logits, 0, seqWith({ temperature: 0, logprobs: true, topLogprobs: 3 }));
    const lse = Math.log(Array.from(logits).reduce((a, x) => a + Math.exp(x), 0));
    expect(r.logprob).toBeCloseTo(3 - lse, 5);
    expect(r.topLogprobs!.map((t) => t.tokenId)).toEqual([1, 5, 2]);
    expect(r.topLogprobs![1]!.logprob).toBeCloseTo(2.9 - lse, 5);
  });

  it('top-p keeps the smallest nucleus (renormalised); top-k ties go to lower ids', () => {
    const l = new Float32Array(V).fill(Number.NEGATIVE_INFINITY);
    l[2] = Math.log(0.5);
    l[6] = Math.log(0.3);
    l[7] = Math.log(0.2);
    const q = seqWith({ topP: 0.75 }, [0], 3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const t = s.sample(l, 0, q).tokenId;
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([2, 6]);
    expect(counts.get(2)! / 4000).toBeCloseTo(0.625, 1);
    const ties = Float32Array.from([1, 0, 1, 1, 0, 0, 0, 0]);
    const r = seqWith({ topK: 2 }, [0], 5);
    const seen = new Set(Array.from({ length: 200 }, () => s.sample(ties, 0, r).tokenId));
    expect([...seen].sort()).toEqual([0, 2]);
  });
});
