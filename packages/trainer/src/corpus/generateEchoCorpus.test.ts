import {
  buildEchoRun,
  type Choice,
  type ChoiceRequest,
  type Chooser,
  choicePrompt,
  EngineChooser,
  runAar,
  teacherChoice,
} from '@dte/aar';
import type { AsyncEngine, Tokenizer } from '@dte/engine-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { optionCount } from './CorpusRecord.ts';
import { corpusSeeds, generateEchoCorpus, RecordingTeacher } from './generateEchoCorpus.ts';

/** A chooser that records every deliberation of a live run and lets the teacher decide. */
class TeacherSpy implements Chooser {
  readonly seen: Array<{ agent: string; tick: number; context: string; options: string[]; prompt: string }> = [];
  async choose(req: ChoiceRequest): Promise<Choice> {
    const d = req.detail!;
    const prompt = choicePrompt(req.context, req.options);
    this.seen.push({ agent: req.owner, tick: d.tick, context: req.context, options: [...req.options], prompt });
    const index = teacherChoice(d.options, d.body, d.tick, d.regrowth);
    return { index, thought: `option ${index + 1}`, prompt };
  }
}

/** A tokenizer whose ids 0 … 9 are the digits "0" … "9" (all `EngineChooser.digitTokens` reads). */
const digitTokenizer = {
  vocabSize: 10,
  tokenBytes: (id: number) => Uint8Array.of(0x30 + id),
  isSpecial: () => false,
} as unknown as Tokenizer;

const sequence = (rs: Array<{ agent: string; tick: number; prompt: string }>) =>
  rs.map((r) => ({ agent: r.agent, tick: r.tick, prompt: r.prompt }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('generateEchoCorpus', () => {
  it('is deterministic in its seed: the same seed gives the same corpus, another seed another', async () => {
    const o = { seed: 4, episodes: 2, agents: 3, ticks: 40, noise: 0.2 };
    const a = await generateEchoCorpus(o);
    expect(await generateEchoCorpus(o)).toEqual(a);
    expect(await generateEchoCorpus({ ...o, seed: 5 })).not.toEqual(a);
    expect(new Set(a.map((r) => r.episode))).toEqual(new Set([0, 1]));
  });

  it('writes choice records whose prompt ends in "I choose option " and whose answer is a digit within its options', async () => {
    const records = await generateEchoCorpus({ seed: 6, episodes: 1, agents: 4, ticks: 60 });
    expect(records.length).toBeGreaterThan(10);
    for (const r of records) {
      expect(r.kind).toBe('choice');
      expect(r.prompt.endsWith('\nI choose option ')).toBe(true);
      expect(r.answer).toMatch(/^[1-9]$/);
      const n = optionCount(r.prompt);
      expect(n, 'a deliberation offers at least two options').toBeGreaterThanOrEqual(2);
      expect(Number(r.answer)).toBeLessThanOrEqual(n);
      expect(r.prompt.startsWith(`You are ${r.agent},`)).toBe(true);
      expect(r.prompt).toContain(`It is t${r.tick}.`);
    }
    // The teacher does not always answer the same digit.
    expect(new Set(records.map((r) => r.answer)).size).toBeGreaterThan(1);
  });

  it('noise changes the trajectories, never the answers: every answer is teacherChoice of the options shown', async () => {
    const o = { seed: 8, episodes: 1, agents: 4, ticks: 60 };
    const clean = await generateEchoCorpus({ ...o, noise: 0 });
    // Spy on the recorder: what the teacher would choose from the options shown, computed when they are
    // shown (the options refer to the agent's live map), and what the agent carried out.
    const original = RecordingTeacher.prototype.choose;
    const seen: Array<{ prompt: string; teacher: number; carried: number; tick: number }> = [];
    vi.spyOn(RecordingTeacher.prototype, 'choose').mockImplementation(async function (this: RecordingTeacher, req) {
      const d = req.detail!;
      const teacher = teacherChoice(d.options, d.body, d.tick, d.regrowth);
      const prompt = choicePrompt(req.context, req.options);
      const c = await original.call(this, req);
      seen.push({ prompt, teacher, carried: c.index, tick: d.tick });
      return c;
    });
    const noisy = await generateEchoCorpus({ ...o, noise: 0.3 });
    expect(seen.length).toBe(noisy.length);
    let firstNoisyTick = Number.POSITIVE_INFINITY;
    seen.forEach((s, i) => {
      expect(noisy[i]!.prompt).toBe(s.prompt);
      expect(noisy[i]!.answer).toBe(String(s.teacher + 1));
      if (s.carried !== s.teacher) firstNoisyTick = Math.min(firstNoisyTick, s.tick);
    });
    expect(Number.isFinite(firstNoisyTick), 'some choice was carried out otherwise').toBe(true);
    // Until the first noisy choice the two runs are the same run; then the trajectories part.
    const upTo = (rs: typeof clean) => rs.filter((r) => r.tick <= firstNoisyTick);
    expect(upTo(noisy).length).toBeGreaterThan(0);
    expect(upTo(noisy)).toEqual(upTo(clean));
    expect(noisy).not.toEqual(clean);
  });

  it('rejects bad options with DTE_ERR_TRAINER_BAD_OPTIONS', async () => {
    const bad = [
      { seed: 1, episodes: -1 },
      { seed: 1, episodes: 1.5 },
      { seed: 1, episodes: 1, ticks: 0 },
      { seed: 1, episodes: 1, agents: 0 },
      { seed: 1, episodes: 1, agents: 2.5 },
      { seed: 1, episodes: 1, noise: 1.5 },
      { seed: 1, episodes: 1, noise: -0.1 },
      { seed: 1, episodes: 1, noise: Number.NaN },
    ];
    for (const o of bad)
      await expect(generateEchoCorpus(o), JSON.stringify(o)).rejects.toMatchObject({
        code: 'DTE_ERR_TRAINER_BAD_OPTIONS',
      });
    await expect(
      new RecordingTeacher().choose({ owner: 'a', context: 'c', options: ['x', 'y'] } as never),
    ).rejects.toMatchObject({
      code: 'DTE_ERR_TRAINER_BAD_OPTIONS',
    });
  });

  it("the corpus's prompts are exactly the prompts EchoMind builds (live agents, the teacher deciding)", async () => {
    for (const placesPerPrompt of [2, 3]) {
      const o = { seed: 12, agents: 3, ticks: 50, placesPerPrompt };
      const corpus = await generateEchoCorpus({ ...o, episodes: 1, noise: 0 });
      const spy = new TeacherSpy();
      const run = buildEchoRun({
        agents: o.agents,
        seed: corpusSeeds({ seed: o.seed, episodes: 1 })[0]!,
        ticks: o.ticks,
        variant: 'full',
        chooser: spy,
        clock: 'lockstep',
        placesPerPrompt,
      });
      await runAar(run.input);
      expect(spy.seen.length).toBeGreaterThan(5);
      expect(sequence(spy.seen)).toEqual(sequence(corpus));
      // The model is asked with the same text: EngineChooser's prompt is choicePrompt.
      const engineChooser = new EngineChooser({} as AsyncEngine, digitTokenizer);
      for (const s of spy.seen) expect(engineChooser.prompt(s.context, s.options)).toBe(s.prompt);
    }
  });

  it('an engine behind EngineChooser, answering as the teacher, receives exactly the corpus prompts', async () => {
    const o = { seed: 13, agents: 3, ticks: 40 };
    const corpus = await generateEchoCorpus({ ...o, episodes: 1 });
    const answers = new Map(corpus.map((r) => [r.prompt, Number(r.answer)]));
    const received: string[] = [];
    const engine = {
      setPriority: () => 0,
      generate: (req: { prompt: string; sampling: { allowedTokenIds: number[] } }) =>
        (async function* () {
          received.push(req.prompt);
          yield { tokenIds: [req.sampling.allowedTokenIds[(answers.get(req.prompt) ?? 1) - 1]!] };
        })(),
    } as unknown as AsyncEngine;
    const run = buildEchoRun({
      agents: o.agents,
      seed: corpusSeeds({ seed: o.seed, episodes: 1 })[0]!,
      ticks: o.ticks,
      variant: 'full',
      engine: { engine, tokenizer: digitTokenizer, temperature: 0 },
      clock: 'lockstep',
      placesPerPrompt: 2,
    });
    await runAar(run.input);
    expect(received.length).toBeGreaterThan(5);
    expect(received).toEqual(corpus.map((r) => r.prompt));
  });
});
