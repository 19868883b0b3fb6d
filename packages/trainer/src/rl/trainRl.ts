import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createEngine, type LoadedModel, loadModel, readGguf } from '@dte/engine-core';
import { checkpointGguf } from '../model/checkpointGguf.ts';
import { readCheckpoint } from '../model/readCheckpoint.ts';
import { TinyLlama } from '../model/TinyLlama.ts';
import { clipGradNorm } from '../optim/clipGradNorm.ts';
import { TrainerError } from '../TrainerError.ts';
import { chooserDigitIds } from '../tokenizer/chooserDigitIds.ts';
import { SpmBpeEncoder } from '../tokenizer/SpmBpeEncoder.ts';
import { createOptimizer } from '../train/trainLoop.ts';
import { restoreTrainState, trainStateGguf } from '../train/trainState.ts';
import { collectRollouts, groupAdvantages, type RolloutDecision } from './collectRollouts.ts';
import { curvesSvg } from './curvesSvg.ts';
import { type PolicySample, policyLoss, probsFromLogprobs } from './policyLoss.ts';

/** Options of {@link trainRl}. */
export interface RlOptions {
  /** The imitation checkpoint to start from (also the reference policy of the KL penalty). */
  from: string;
  /** Where the improved model goes (`out`), with `.state.gguf`, `.rl.json`, `.reward.svg`, `.kl.svg` beside it. */
  out: string;
  iterations: number;
  /** Continue from `out`'s checkpoint and state, exactly where it stopped. */
  resume?: boolean;
  /** Episodes (worlds) per iteration. Default 6. */
  episodes?: number;
  agents?: number;
  ticks?: number;
  /** Worlds are `seed · 100003 + iteration · episodes + k`: never the evaluation's 101–108. */
  seed?: number;
  temperature?: number;
  horizon?: number;
  gamma?: number;
  clip?: number;
  klCoef?: number;
  lr?: number;
  epochs?: number;
  batchSize?: number;
  onIteration?: (report: RlIteration) => void;
}

/** What one iteration did. */
export interface RlIteration {
  iteration: number;
  /** Mean reward per agent of the iteration's rollouts (the policy before this iteration's update). */
  reward: number;
  survival: number;
  decisions: number;
  /** Decisions whose state class had company (a non-zero advantage). */
  trained: number;
  kl: number;
  clipped: number;
  ratio: number;
  /** Running sequences preempted by the swap of new weights into the engine. */
  preemptedBySwap: number;
  seconds: number;
}

/** What is saved beside the checkpoint so a run resumes exactly. */
interface RlState {
  from: string;
  nextIteration: number;
  history: RlIteration[];
}

const DEFAULTS = {
  episodes: 6,
  agents: 8,
  ticks: 200,
  seed: 1,
  temperature: 0.5,
  horizon: 30,
  gamma: 0.95,
  clip: 0.2,
  klCoef: 0.05,
  lr: 1e-4,
  epochs: 1,
  batchSize: 16,
};

/** The native model of a TinyLlama's current weights (what the engine runs). */
async function nativeOf(model: TinyLlama, vocab: ReturnType<typeof readCheckpoint>['vocab'], numBlocks: number) {
  return loadModel(readGguf(checkpointGguf(model, vocab, 'echo-tiny-rl')), { numBlocks });
}

/**
 * Learning from experience: policy-gradient training of the agents' model from arena reward. Each
 * iteration the agents run `episodes` worlds through one serving engine (lockstep, at the agents'
 * temperature), every deliberation recorded with the engine's log-probabilities; each is credited with
 * its agent's discounted reward over the next `horizon` ticks; advantages are normalised within each
 * group of states of the same class (the pressing need and what was offered — GRPO's group baseline,
 * by state class); the model is updated with the PPO-clip objective on the option digits plus an exact
 * KL penalty to the imitation model; and the new weights are swapped into the running engine (its
 * prefix cache dropped, running requests prefilled again on the new weights). Checkpoints after every
 * iteration and resumes exactly; writes the reward and KL curves as SVG.
 */
export async function trainRl(opts: RlOptions): Promise<RlIteration[]> {
  const o = { ...DEFAULTS, ...opts };
  if (!existsSync(o.from)) throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', `trainRl: no checkpoint at ${o.from}`);
  if (!Number.isInteger(o.iterations) || o.iterations < 0)
    throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'trainRl: iterations must be an integer ≥ 0');
  const base = o.out.replace(/\.gguf$/, '');
  const paths = {
    state: `${base}.state.gguf`,
    json: `${base}.rl.json`,
    reward: `${base}.reward.svg`,
    kl: `${base}.kl.svg`,
  };
  const ref = readCheckpoint(o.from);
  let state: RlState = { from: o.from, nextIteration: 0, history: [] };
  let policy: TinyLlama;
  const start = o.resume && existsSync(o.out) && existsSync(paths.state) && existsSync(paths.json);
  if (start) {
    policy = readCheckpoint(o.out).model;
    state = JSON.parse(readFileSync(paths.json, 'utf8')) as RlState;
  } else policy = readCheckpoint(o.from).model;
  policy = new TinyLlama(policy.config, policy.params, 'native');
  const reference = new TinyLlama(ref.model.config, ref.model.params, 'native');
  const opt = createOptimizer(policy, { weightDecay: 0 });
  if (start) restoreTrainState(paths.state, policy, opt);
  const vocab = ref.vocab;
  const encoder = new SpmBpeEncoder(vocab);
  const digits = chooserDigitIds(vocab);
  const params = [...policy.params.values()] as Float32Array[];
  const grads = [...policy.params.keys()].map((k) => policy.grads.get(k)!) as Float32Array[];
  const numBlocks = 512;
  let current: LoadedModel = await nativeOf(policy, vocab, numBlocks);
  const engine = createEngine(current, { policy: 'priority', maxNumBatchedTokens: 2048, seed: o.seed });
  try {
    const first = state.nextIteration;
    for (let it = first; it < o.iterations; it++) {
      const t0 = performance.now();
      let preemptedBySwap = 0;
      if (it > first) {
        // Hot swap: the updated weights into the running engine.
        const next = await nativeOf(policy, vocab, numBlocks);
        ({ preempted: preemptedBySwap } = await engine.swapExecutor(next.model));
        current.model.dispose();
        current = next;
      }
      const seeds = Array.from({ length: o.episodes }, (_, k) => o.seed * 100003 + it * o.episodes + k);
      const { decisions, episodes } = await collectRollouts({
        engine: { engine, tokenizer: current.tokenizer, temperature: o.temperature },
        seeds,
        agents: o.agents,
        ticks: o.ticks,
        horizon: o.horizon,
        gamma: o.gamma,
      });
      const adv = groupAdvantages(decisions);
      const batch = decisions
        .map((d, i) => ({ d, a: adv[i]! }))
        .filter((x) => x.a !== 0 && x.d.optionLogprobs.length === x.d.n);
      const report = { kl: 0, clipped: 0, ratio: 0, batches: 0 };
      for (let epoch = 0; epoch < o.epochs; epoch++) {
        for (const mb of minibatches(batch, o.batchSize, (it + 1) * 7919 + epoch)) {
          const r = updateOn(mb, policy, reference, encoder, digits, o);
          clipGradNorm(grads, 1);
          opt.step(params, grads, o.lr);
          report.kl += r.kl;
          report.clipped += r.clipped;
          report.ratio += r.ratio;
          report.batches++;
        }
      }
      const nb = Math.max(1, report.batches);
      const entry: RlIteration = {
        iteration: it,
        reward: episodes.reduce((a, e) => a + e.reward, 0) / episodes.length,
        survival: episodes.reduce((a, e) => a + e.survival, 0) / episodes.length,
        decisions: decisions.length,
        trained: batch.length,
        kl: report.kl / nb,
        clipped: report.clipped / nb,
        ratio: report.ratio / nb,
        preemptedBySwap,
        seconds: (performance.now() - t0) / 1000,
      };
      state = { from: o.from, nextIteration: it + 1, history: [...state.history, entry] };
      writeFileSync(o.out, checkpointGguf(policy, vocab, 'echo-tiny'));
      writeFileSync(paths.state, trainStateGguf(policy, opt, it + 1));
      writeFileSync(paths.json, `${JSON.stringify(state, null, 1)}\n`);
      writeFileSync(
        paths.reward,
        curvesSvg(
          { 'reward per agent': state.history.map((h) => h.reward), survival: state.history.map((h) => h.survival) },
          { title: 'echo-tiny RL: rollout reward per agent and survival, by iteration', yLabel: 'reward / survival' },
        ),
      );
      writeFileSync(
        paths.kl,
        curvesSvg(
          { 'KL(π‖π_imitation)': state.history.map((h) => h.kl), 'clipped share': state.history.map((h) => h.clipped) },
          { title: 'echo-tiny RL: KL to the imitation model and clipped share, by iteration' },
        ),
      );
      o.onIteration?.(entry);
    }
  } finally {
    await engine.close();
    current.model.dispose();
  }
  return state.history;
}

type Sample = { d: RolloutDecision; a: number };

/** Deterministic minibatches of similar prompt lengths (sorted, chunked, chunks shuffled by seed). */
function minibatches(batch: readonly Sample[], size: number, seed: number): Sample[][] {
  const sorted = [...batch].sort((x, y) => x.d.prompt.length - y.d.prompt.length || x.d.tick - y.d.tick);
  const chunks: Sample[][] = [];
  for (let i = 0; i < sorted.length; i += size) chunks.push(sorted.slice(i, i + size));
  let s = seed >>> 0;
  for (let i = chunks.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [chunks[i], chunks[j]] = [chunks[j]!, chunks[i]!];
  }
  return chunks;
}

/** One gradient of the objective on a minibatch (gradients left in `policy.grads`). */
function updateOn(
  mb: readonly Sample[],
  policy: TinyLlama,
  reference: TinyLlama,
  encoder: SpmBpeEncoder,
  digits: readonly number[],
  o: typeof DEFAULTS,
) {
  const { bosId, eosId } = encoder.vocab;
  const seqs = mb.map((x) => [bosId, ...encoder.encode(x.d.prompt)]);
  const L = Math.max(...seqs.map((s) => s.length));
  const tokens = new Int32Array(mb.length * L).fill(eosId);
  const rows: number[] = [];
  seqs.forEach((s, b) => {
    tokens.set(s, b * L);
    rows.push(b * L + s.length - 1);
  });
  const V = policy.config.nVocab;
  const refLogits = reference.rowLogits(tokens, mb.length, rows);
  const samples: PolicySample[] = mb.map((x, i) => {
    const refRow = new Float64Array(x.d.n);
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < x.d.n; j++) {
      refRow[j] = refLogits[i * V + digits[j]!]! / o.temperature;
      max = Math.max(max, refRow[j]!);
    }
    let sum = 0;
    for (let j = 0; j < x.d.n; j++) sum += Math.exp(refRow[j]! - max);
    for (let j = 0; j < x.d.n; j++) refRow[j] = Math.exp(refRow[j]! - max) / sum;
    return {
      n: x.d.n,
      action: x.d.action,
      oldProb: probsFromLogprobs(x.d.optionLogprobs, o.temperature)[x.d.action]!,
      refProbs: refRow,
      advantage: x.a,
    };
  });
  let report = { loss: 0, kl: 0, clipped: 0, ratio: 1 };
  policy.customLossAndGrad(tokens, mb.length, rows, (logits, S, nVocab) => {
    const dLogits = new Float32Array(S * nVocab);
    report = policyLoss(logits, dLogits, nVocab, samples, digits, {
      temperature: o.temperature,
      clip: o.clip,
      klCoef: o.klCoef,
    });
    return { loss: report.loss, dLogits };
  });
  return report;
}
