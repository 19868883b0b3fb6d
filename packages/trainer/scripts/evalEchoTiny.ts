// npm run eval:echo-tiny [-- --model path.gguf --recipe echo-tiny|demo --episodes N --ticks T]
// Evaluates the shipped packages/trainer/models/<recipe name>.gguf by default (echo-tiny), else the
// checkpoint `npm run train:<recipe>` writes to .cache/trainer/; --model picks any other.
// Mean reward and survival of agents driven by the model vs random vs the scripted expert, the model's
// perplexity on the recipe's held-out corpus, choice agreement with the expert and QA consistency.
// Prints a table, then one JSON line with the figures.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expertPolicy, Rng } from '@dte/arena';
import { generate, loadModel } from '@dte/engine-core';
import {
  choiceAgreementBySituation,
  evaluatePolicy,
  generateCorpus,
  modelPolicy,
  RECIPES,
  readCheckpoint,
  SpmBpeEncoder,
  tokenizeCorpus,
} from '../src/index.ts';

const { values } = parseArgs({
  options: {
    recipe: { type: 'string', default: 'echo-tiny' },
    model: { type: 'string' },
    episodes: { type: 'string', default: '24' },
    ticks: { type: 'string', default: '100' },
    qa: { type: 'string', default: '40' },
    temperature: { type: 'string', default: '0.7' },
  },
});
const recipe = RECIPES[values.recipe!];
if (!recipe) throw new Error(`unknown recipe ${values.recipe}`);
// Default: the model the repository ships for the recipe (echo-tiny), else what `npm run train:<recipe>` wrote.
const shipped = fileURLToPath(new URL(`../models/${recipe.name}.gguf`, import.meta.url));
const path = values.model ?? (existsSync(shipped) ? shipped : `.cache/trainer/${recipe.name}.gguf`);
if (!existsSync(path))
  throw new Error(`no model at ${path}: pass --model M.gguf or run npm run train:${values.recipe} first`);
console.log(`evaluating ${path}`);
const o = { seed: 9000, episodes: Number(values.episodes), ticks: Number(values.ticks) };
const loaded = await loadModel(path, { numBlocks: 64 });
const temperature = Number(values.temperature);
const rng = new Rng(1);
const rows = {
  random: await evaluatePolicy((obs) => {
    const legal = [...obs.actionMask.keys()].filter((a) => obs.actionMask[a] === 1);
    return legal[rng.int(legal.length)]!;
  }, o),
  expert: await evaluatePolicy((obs, c) => expertPolicy(obs, c.viewSize), o),
  // As the agents run it: ActionChooser's temperature (0.7) over the legal option digits, seeded.
  model: await evaluatePolicy(modelPolicy(loaded, { temperature, seed: 1 }), o),
  greedy: await evaluatePolicy(modelPolicy(loaded, { temperature: 0 }), o),
};
// Perplexity on the held-out corpus, with the trainer's forward on the checkpoint's weights.
const { model, vocab } = readCheckpoint(path);
const encoder = new SpmBpeEncoder(vocab);
const held = generateCorpus(recipe.heldOut);
const stream = tokenizeCorpus(held, encoder);
const L = Math.min(recipe.seqLen, 256);
const windows = Math.min(16, Math.floor((stream.length - 1) / L));
let nll = 0;
for (let w = 0; w < windows; w++) {
  const s = w * L;
  nll += model.lossAndGrad(stream.subarray(s, s + L), stream.subarray(s + 1, s + L + 1), 1, false) / windows;
}
// QA consistency: greedy answers to held-out questions equal to the answer derived from the observation.
const qa = held.filter((r) => r.kind === 'qa').slice(0, Number(values.qa));
let exact = 0;
for (const r of qa) {
  const out = await generate(loaded, { prompt: r.prompt, maxTokens: 32 });
  // Compare without outer spaces (the answers in the corpus start with one).
  if (out.text.split('\n')[0]!.trim() === r.answer.trim()) exact++;
}
console.log('policy | mean reward | survival');
for (const [name, e] of Object.entries(rows))
  console.log(`${name.padEnd(6)} | ${e.meanReward.toFixed(2).padStart(11)} | ${e.survival.toFixed(3)}`);
// Agreement with the expert on held-out prompts, broken down by what is right in front.
const { agreement, bySituation } = await choiceAgreementBySituation(
  loaded,
  held.filter((r) => r.kind === 'choice').slice(0, 1200),
);
console.log('situation (right in front: expert action) | agreement');
for (const [s, [a, n]] of Object.entries(bySituation).sort())
  console.log(`${s.padEnd(28)} | ${a}/${n} (${((100 * a) / n).toFixed(0)}%)`);
const figures = {
  model: path,
  episodes: o.episodes,
  ticks: o.ticks,
  reward_echo_tiny: rows.model.meanReward,
  reward_random: rows.random.meanReward,
  reward_expert: rows.expert.meanReward,
  reward_ratio_to_expert: rows.model.meanReward / Math.max(1e-9, rows.expert.meanReward),
  temperature,
  reward_echo_tiny_greedy: rows.greedy.meanReward,
  survival_echo_tiny: rows.model.survival,
  perplexity_heldout: Math.exp(nll),
  qa_consistency: qa.length ? exact / qa.length : 0,
  choice_agreement: agreement,
  choice_agreement_by_situation: Object.fromEntries(Object.entries(bySituation).map(([s, [a, n]]) => [s, a / n])),
  reward: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.meanReward])),
  survival: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.survival])),
  rewardVsExpert: rows.model.meanReward / Math.max(1e-9, rows.expert.meanReward),
  heldOutPerplexity: Math.exp(nll),
  qaExact: qa.length ? exact / qa.length : 0,
  choiceAgreement: agreement,
};
console.log(
  `model reward = ${(100 * figures.rewardVsExpert).toFixed(0)}% of the expert's; held-out perplexity ${figures.heldOutPerplexity.toFixed(2)}; QA exact ${(100 * figures.qaExact).toFixed(0)}%; expert agreement ${(100 * agreement).toFixed(0)}%`,
);
console.log(JSON.stringify(figures));
