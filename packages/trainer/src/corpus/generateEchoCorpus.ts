import {
  buildEchoRun,
  type Choice,
  type ChoiceRequest,
  type Chooser,
  choicePrompt,
  type ForagingWorld,
  runAar,
  teacherChoice,
} from '@dte/aar';
import { TrainerError } from '../TrainerError.ts';
import type { CorpusRecord } from './CorpusRecord.ts';

/** Options of {@link generateEchoCorpus}. */
export interface EchoCorpusOptions {
  seed: number;
  episodes: number;
  /** Agents per episode (default 8). */
  agents?: number;
  /** Ticks per episode (default 200). */
  ticks?: number;
  /** The world (default `oases`). */
  world?: ForagingWorld;
  /** Remembered places offered per deliberation, as the agents run (default 2). */
  placesPerPrompt?: number;
  /**
   * DART noise (Laskey et al. 2017): on this fraction of deliberations the agent carries out a random
   * option instead of the teacher's, while the record still answers with the teacher's. The corpus then
   * covers the states a learner reaches after its own mistakes. Default 0.
   */
  noise?: number;
}

/**
 * A chooser that answers like the teacher and records every prompt with the teacher's answer; with
 * `noise`, it sometimes carries out another option (the record keeps the teacher's).
 */
export class RecordingTeacher implements Chooser {
  readonly records: Array<{ owner: string; tick: number; prompt: string; answer: number; options: number }> = [];
  private s: number;

  constructor(
    private readonly noise = 0,
    seed = 1,
  ) {
    this.s = seed >>> 0;
  }

  prompt(context: string, options: readonly string[]): string {
    return choicePrompt(context, options);
  }

  async choose(req: ChoiceRequest): Promise<Choice> {
    const d = req.detail;
    if (!d) throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'RecordingTeacher: the request carries no detail');
    const answer = teacherChoice(d.options, d.body, d.tick, d.regrowth);
    const prompt = choicePrompt(req.context, req.options);
    this.records.push({ owner: req.owner, tick: d.tick, prompt, answer, options: req.options.length });
    let index = answer;
    if (this.noise > 0) {
      this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
      if (this.s / 2 ** 32 < this.noise) {
        this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
        index = this.s % req.options.length;
      }
    }
    return { index, thought: `option ${index + 1}: ${req.options[index]}`, prompt };
  }
}

/** The world seed of each episode of a corpus: `seed · 7919 + e` (mod 2³²), e = 0 … episodes − 1. */
export function corpusSeeds(o: Pick<EchoCorpusOptions, 'seed' | 'episodes'>): number[] {
  return Array.from({ length: Math.max(0, o.episodes) }, (_, e) => (o.seed * 7919 + e) >>> 0);
}

/**
 * The imitation corpus, from the agents themselves: echo runs of the full mind (memory, attention,
 * DTESN, the motor layer) in which the scripted teacher chooses, each deliberation written as the
 * exact prompt `EchoMind` built (persona, tick, focus, observation, the numbered options) answered by
 * the teacher's option digit. The teacher uses only what the prompt shows, so its answers can be
 * learnt from it. Deterministic from `seed`.
 * @example const records = await generateEchoCorpus({ seed: 1, episodes: 4 })
 */
export async function generateEchoCorpus(o: EchoCorpusOptions): Promise<CorpusRecord[]> {
  const agents = o.agents ?? 8;
  const ticks = o.ticks ?? 200;
  const noise = o.noise ?? 0;
  if (
    !Number.isInteger(o.episodes) ||
    o.episodes < 0 ||
    !Number.isInteger(ticks) ||
    ticks < 1 ||
    !Number.isInteger(agents) ||
    agents < 1
  )
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'generateEchoCorpus: episodes ≥ 0, ticks ≥ 1, agents ≥ 1');
  if (!(noise >= 0 && noise <= 1))
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'generateEchoCorpus: noise must be in [0, 1]');
  const out: CorpusRecord[] = [];
  for (const [e, seed] of corpusSeeds(o).entries()) {
    const teacher = new RecordingTeacher(noise, seed ^ 0x5bd1e995);
    const run = buildEchoRun({
      agents,
      seed,
      ticks,
      variant: 'teacher',
      chooser: teacher,
      clock: 'lockstep',
      placesPerPrompt: o.placesPerPrompt ?? 2,
      ...(o.world ? { world: o.world } : {}),
    });
    await runAar(run.input);
    for (const r of teacher.records) {
      out.push({
        kind: 'choice',
        episode: e,
        agent: r.owner,
        tick: r.tick,
        prompt: r.prompt,
        answer: String(r.answer + 1),
      });
    }
  }
  return out;
}
