// npm run train:echo-tiny [-- --recipe demo|echo-tiny --steps N --out path.gguf --resume --every N --kernels ts|native
//   --prompt-fraction F]  (--steps and --prompt-fraction override the recipe, for experiments)
// Trains a recipe end to end (the echo corpus of `generateEchoCorpus` → tokenizer → model → GGUF),
// prints a progress table, then one JSON line with the figures. Deterministic from the recipe's seed. Every `--every` steps it writes the
// checkpoint (`out`) and the optimiser state (`out` with `.state.gguf`); `--resume` continues from them.
// At the end it writes the loss curve: `out` with `.loss.svg` (plot) and `.loss.json` (every step's loss).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkpointGguf,
  createOptimizer,
  generateEchoCorpus,
  lossCurveSvg,
  parameterCount,
  RECIPES,
  readCheckpoint,
  recordText,
  restoreTrainState,
  TinyLlama,
  tokenizeCorpus,
  tokenizeCorpusWithAnswers,
  trainBpeTokenizer,
  trainLoop,
  trainStateGguf,
} from '../src/index.ts';

const { values } = parseArgs({
  options: {
    recipe: { type: 'string', default: 'demo' },
    steps: { type: 'string' },
    out: { type: 'string' },
    kernels: { type: 'string', default: 'native' },
    every: { type: 'string', default: '100' },
    resume: { type: 'boolean', default: false },
    'prompt-fraction': { type: 'string' },
  },
});
const recipe = RECIPES[values.recipe!];
if (!recipe) throw new Error(`unknown recipe ${values.recipe}; one of ${Object.keys(RECIPES).join(', ')}`);
const steps = values.steps ? Number(values.steps) : recipe.steps;
const promptFraction = values['prompt-fraction'] ? Number(values['prompt-fraction']) : recipe.promptFraction;
const every = Number(values.every);
const kernels = values.kernels === 'ts' ? 'ts' : 'native';
const out = values.out ?? `.cache/trainer/${recipe.name}.gguf`;
const statePath = `${out.replace(/\.gguf$/, '')}.state.gguf`;
const t0 = performance.now();
const records = await generateEchoCorpus(recipe.corpus);
const { vocab, encoder } = trainBpeTokenizer(records.map(recordText), {
  vocabSize: recipe.vocabSize,
  splitDigits: recipe.splitDigits ?? false,
});
const { tokens: stream, isAnswer } = tokenizeCorpusWithAnswers(records, encoder);
const heldOut = tokenizeCorpus(await generateEchoCorpus(recipe.heldOut), encoder);
const tPrep = performance.now();
const config = { ...recipe.model, nVocab: vocab.pieces.length };
let model = TinyLlama.init(config, recipe.seed, 'f32', kernels);
let opt = createOptimizer(model, { weightDecay: recipe.weightDecay });
let startStep = 0;
if (values.resume && existsSync(out) && existsSync(statePath)) {
  const back = readCheckpoint(out);
  if (back.vocab.pieces.join('\n') !== vocab.pieces.join('\n'))
    throw new Error('--resume: the checkpoint has another vocabulary');
  model = new TinyLlama(back.model.config, back.model.params, kernels);
  opt = createOptimizer(model, { weightDecay: recipe.weightDecay });
  startStep = restoreTrainState(statePath, model, opt);
}
console.log(
  `${recipe.name}: ${records.length} records, ${stream.length} tokens, vocab ${vocab.pieces.length}, ` +
    `${(parameterCount(recipe.model, vocab.pieces.length) / 1e6).toFixed(2)}M params, prep ${((tPrep - t0) / 1000).toFixed(1)} s` +
    (startStep ? `, resuming at step ${startStep}` : ''),
);
mkdirSync(dirname(out), { recursive: true });
const save = (nextStep: number) => {
  writeFileSync(out, checkpointGguf(model, vocab, recipe.name));
  writeFileSync(statePath, trainStateGguf(model, opt, nextStep));
};
console.log('step | loss   | lr       | grad norm | s/step');
let last = performance.now();
const tTrain = performance.now();
const losses = trainLoop(model, stream, {
  steps,
  startStep,
  optimizer: opt,
  batchSize: recipe.batchSize,
  seqLen: recipe.seqLen,
  schedule: { ...recipe.schedule, totalSteps: steps },
  seed: recipe.seed,
  clip: recipe.clip,
  alignTo: vocab.bosId,
  ...(promptFraction === undefined ? {} : { answerMask: isAnswer, promptFraction }),
  onStep: ({ step, loss, lr, gradNorm }) => {
    if (step % 20 === 0 || step === steps - 1) {
      const now = performance.now();
      const per = (now - last) / 1000 / (step === startStep ? 1 : Math.min(20, step - startStep));
      last = now;
      console.log(
        `${String(step).padStart(4)} | ${loss.toFixed(3)} | ${lr.toExponential(2)} | ${gradNorm.toFixed(3).padStart(9)} | ${per.toFixed(2)}`,
      );
    }
    if ((step + 1) % every === 0) save(step + 1);
  },
});
const trainSeconds = (performance.now() - tTrain) / 1000;
save(steps);
// Held-out loss on a few windows.
const L = recipe.seqLen;
let heldLoss = 0;
const windows = Math.min(8, Math.floor((heldOut.length - 1) / L));
for (let w = 0; w < windows; w++) {
  const s = w * L;
  heldLoss += model.lossAndGrad(heldOut.subarray(s, s + L), heldOut.subarray(s + 1, s + L + 1), 1, false) / windows;
}
// The loss curve of this run (steps before a resume are not in memory: the plot starts at startStep).
const base = out.replace(/\.gguf$/, '');
writeFileSync(`${base}.loss.json`, `${JSON.stringify({ recipe: recipe.name, startStep, losses })}\n`);
writeFileSync(
  `${base}.loss.svg`,
  lossCurveSvg(losses, {
    title: `${recipe.name}: training loss, steps ${startStep}–${steps} (batch ${recipe.batchSize} × ${recipe.seqLen})`,
    heldOut: heldLoss,
  }),
);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const figures = {
  recipe: recipe.name,
  steps,
  startStep,
  kernels,
  params: parameterCount(recipe.model, vocab.pieces.length),
  tokens: stream.length,
  firstLoss: mean(losses.slice(0, 10)),
  lastLoss: mean(losses.slice(-10)),
  heldOutLoss: heldLoss,
  heldOutPerplexity: Math.exp(heldLoss),
  seconds: (performance.now() - t0) / 1000,
  trainSeconds,
  tokensPerSecond: ((steps - startStep) * recipe.batchSize * recipe.seqLen) / trainSeconds,
  out,
};
console.log(JSON.stringify(figures));
