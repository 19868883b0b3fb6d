// npm run eval:echo-tiny [-- --seeds 101,102,… --agents 8 --ticks 200 --model M.gguf --temperature T
//                           --self-improved M.gguf --recipe echo-tiny|demo --agreement N]
// Evaluates a model as the agents run it: echo runs (`evaluateEcho`: the oases world, lockstep clock,
// one run per seed) of random actions, the reflexes alone, the arena's purely reactive scripted expert
// (`reactive_expert`, no mind), the full mind with the scripted teacher
// deliberating, and the full mind deliberating through the model (`imitation`; with --self-improved, a
// second model as `self_improved`). Default seeds 101 … 108, worlds no corpus ran. Default model: the
// shipped packages/trainer/models/<recipe name>.gguf (echo-tiny), else what `npm run train:<recipe>`
// wrote to .cache/trainer/; --model picks another. Then the model's agreement with the teacher on the
// recipe's held-out corpus (greedy: the highest-logit option digit; --agreement caps the records) and
// its perplexity there. Prints a markdown table, those figures, and as the last line one JSON object.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EngineChooser } from '@dte/aar';
import { type AsyncEngine, type LoadedModel, loadModel } from '@dte/engine-core';
import {
  chooserDigitIds,
  type EchoEvaluation,
  EVAL_SEEDS,
  evaluateEcho,
  evaluateExpert,
  generateEchoCorpus,
  RECIPES,
  readCheckpoint,
  SpmBpeEncoder,
  type TeacherAgreement,
  teacherAgreement,
  tokenizeCorpus,
} from '../src/index.ts';

const { values } = parseArgs({
  options: {
    recipe: { type: 'string', default: 'echo-tiny' },
    model: { type: 'string' },
    'self-improved': { type: 'string' },
    seeds: { type: 'string', default: EVAL_SEEDS.join(',') },
    agents: { type: 'string', default: '8' },
    ticks: { type: 'string', default: '200' },
    temperature: { type: 'string', default: '0.5' },
    agreement: { type: 'string' },
  },
});
const recipe = RECIPES[values.recipe!];
if (!recipe) throw new Error(`unknown recipe ${values.recipe}; one of ${Object.keys(RECIPES).join(', ')}`);
// Default: the model the repository ships for the recipe (echo-tiny), else what `npm run train:<recipe>` wrote.
const shipped = fileURLToPath(new URL(`../models/${recipe.name}.gguf`, import.meta.url));
const path = values.model ?? (existsSync(shipped) ? shipped : `.cache/trainer/${recipe.name}.gguf`);
if (!existsSync(path))
  throw new Error(`no model at ${path}: pass --model M.gguf or run npm run train:${values.recipe} first`);
const improvedPath = values['self-improved'];
if (improvedPath && !existsSync(improvedPath)) throw new Error(`--self-improved: no model at ${improvedPath}`);
const seeds = values.seeds!.split(',').map(Number);
const agents = Number(values.agents);
const ticks = Number(values.ticks);
const temperature = Number(values.temperature);
if (seeds.some((s) => !Number.isInteger(s))) throw new Error('--seeds: integers separated by commas');
const maxAgreement = values.agreement === undefined ? Number.POSITIVE_INFINITY : Number(values.agreement);

const load = (p: string) => loadModel(p, { kvCacheBytes: 256 << 20 });
const loaded = await load(path);
const improved = improvedPath ? await load(improvedPath) : undefined;
console.log(
  `eval — ${agents} agents, ${ticks} ticks, oases world, lockstep clock, seeds ${seeds.join(',')}, temperature ${temperature}` +
    `\nimitation: ${path}${improvedPath ? `\nself_improved: ${improvedPath}` : ''}`,
);

// The rows, in order: what each policy earns on the same worlds.
const t0 = performance.now();
const base = { seeds, agents, ticks, temperature };
const rows: Record<string, EchoEvaluation> = {};
const row = async (name: string, o: Parameters<typeof evaluateEcho>[0]) => {
  rows[name] = await evaluateEcho(o);
  process.stderr.write(
    `  ${name.padEnd(13)} reward ${rows[name].rewardMean.toFixed(2)} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`,
  );
};
await row('random', { ...base, variant: 'random' });
await row('reflex_only', { ...base, variant: 'reflex_only' });
// The classic world's scripted expert, purely reactive (no memory): what reacting to the view earns here.
rows.reactive_expert = evaluateExpert(base);
await row('teacher', { ...base, variant: 'teacher' });
await row('imitation', { ...base, variant: 'full', loaded });
if (improved) await row('self_improved', { ...base, variant: 'full', loaded: improved });

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
console.log('\n| policy | mean reward ± 95% CI | survival ± 95% CI |');
console.log('| --- | --- | --- |');
for (const [name, e] of Object.entries(rows))
  console.log(
    `| ${name} | ${fmt(e.rewardMean)} ± ${fmt(e.rewardCi95)} | ${fmt(e.survivalMean, 3)} ± ${fmt(e.survivalCi95, 3)} |`,
  );

// Agreement with the teacher on the held-out corpus's exact prompts (no engine is running now: the
// forward passes may use the KV cache), and the perplexity there with the trainer's forward.
const held = await generateEchoCorpus(recipe.heldOut);
const choices = held.filter((r) => r.kind === 'choice').slice(0, maxAgreement);
const agreementOf = async (p: string, m: LoadedModel): Promise<TeacherAgreement> => {
  const digits = chooserDigitIds(readCheckpoint(p).vocab);
  // The digit tokens the agents' chooser allows must be the ones scored here.
  const allowed = new EngineChooser({} as AsyncEngine, m.tokenizer).digitTokens();
  if (allowed.join() !== digits.join()) throw new Error(`${p}: EngineChooser's digit tokens differ from the trainer's`);
  return teacherAgreement(m, choices, digits);
};
const perplexityOf = (p: string): number => {
  const { model, vocab } = readCheckpoint(p);
  const stream = tokenizeCorpus(held, new SpmBpeEncoder(vocab));
  const L = Math.min(recipe.seqLen, 256);
  const windows = Math.min(16, Math.floor((stream.length - 1) / L));
  let nll = 0;
  for (let w = 0; w < windows; w++) {
    const s = w * L;
    nll += model.lossAndGrad(stream.subarray(s, s + L), stream.subarray(s + 1, s + L + 1), 1, false) / windows;
  }
  return Math.exp(nll);
};
const agreement = await agreementOf(path, loaded);
const perplexity = perplexityOf(path);
const improvedAgreement = improved && improvedPath ? await agreementOf(improvedPath, improved) : undefined;
const improvedPerplexity = improvedPath ? perplexityOf(improvedPath) : undefined;
const pct = (a: number, n: number) => `${a}/${n} (${((100 * a) / Math.max(1, n)).toFixed(0)}%)`;
console.log(
  `\nheld-out corpus (seed ${recipe.heldOut.seed}, ${recipe.heldOut.episodes} episodes): ${choices.length} choices; ` +
    `agreement with the teacher (greedy) ${fmt(100 * agreement.agreement, 1)}%, perplexity ${fmt(perplexity, 3)}` +
    (improvedAgreement
      ? `; self_improved ${fmt(100 * improvedAgreement.agreement, 1)}%, perplexity ${fmt(improvedPerplexity!, 3)}`
      : ''),
);
for (const [kind, [a, n]] of Object.entries(agreement.byKind).sort())
  console.log(`  teacher chose ${kind.padEnd(8)} agreement ${pct(a, n)}`);
loaded.model.dispose();
improved?.model.dispose();

// The ratio: the best model row there is (self_improved when given, else imitation) ÷ the teacher.
const ratioPolicy = rows.self_improved ? 'self_improved' : 'imitation';
const figures: Record<string, unknown> = {
  model: path,
  ...(improvedPath ? { model_self_improved: improvedPath } : {}),
  seeds,
  agents,
  ticks,
  temperature,
};
for (const [name, e] of Object.entries(rows)) {
  figures[`reward_${name}`] = e.rewardMean;
  figures[`reward_ci95_${name}`] = e.rewardCi95;
  figures[`survival_${name}`] = e.survivalMean;
}
figures.reward_ratio_to_teacher = rows[ratioPolicy]!.rewardMean / rows.teacher!.rewardMean;
figures.reward_ratio_policy = ratioPolicy;
figures.choice_agreement = agreement.agreement;
figures.choice_agreement_by_kind = Object.fromEntries(
  Object.entries(agreement.byKind).map(([k, [a, n]]) => [k, a / n]),
);
figures.perplexity_heldout = perplexity;
if (improvedAgreement) figures.choice_agreement_self_improved = improvedAgreement.agreement;
if (improvedPerplexity !== undefined) figures.perplexity_heldout_self_improved = improvedPerplexity;
figures.seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify(figures));
