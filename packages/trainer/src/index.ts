export { type CorpusRecord, optionCount, recordText } from './corpus/CorpusRecord.ts';
export {
  corpusSeeds,
  type EchoCorpusOptions,
  generateEchoCorpus,
  RecordingTeacher,
} from './corpus/generateEchoCorpus.ts';
export {
  type EchoEvaluation,
  EVAL_SEEDS,
  type EvaluateEchoOptions,
  evalEngine,
  evaluateEcho,
  evaluateExpert,
} from './eval/evaluateEcho.ts';
export { mean, t95, tInterval95 } from './eval/stats.ts';
export { promptLogits, type TeacherAgreement, teacherAgreement } from './eval/teacherAgreement.ts';
export { checkpointGguf } from './model/checkpointGguf.ts';
export { readCheckpoint } from './model/readCheckpoint.ts';
export { parameterShapes, TinyLlama, type TinyLlamaConfig } from './model/TinyLlama.ts';
export { type AttentionShape, attentionBackward, attentionForward } from './ops/attention.ts';
export { crossEntropy } from './ops/crossEntropy.ts';
export { embeddingBackward, embeddingForward } from './ops/embedding.ts';
export { matmulBackward, matmulForward } from './ops/matmul.ts';
export { rmsNormBackward, rmsNormForward } from './ops/rmsNorm.ts';
export { rope } from './ops/rope.ts';
export { swigluBackward, swigluForward } from './ops/swiglu.ts';
export { type Vec, zerosLike } from './ops/Vec.ts';
export { AdamW, type AdamWOptions } from './optim/AdamW.ts';
export { clipGradNorm } from './optim/clipGradNorm.ts';
export { type CosineSchedule, learningRateAt } from './optim/cosineSchedule.ts';
export {
  DEMO_RECIPE,
  ECHO_TINY_RECIPE,
  parameterCount,
  RECIPES,
  type TrainRecipe,
} from './recipe/echoTinyRecipe.ts';
export {
  collectRollouts,
  groupAdvantages,
  type RolloutDecision,
  type RolloutOptions,
} from './rl/collectRollouts.ts';
export { curvesSvg } from './rl/curvesSvg.ts';
export {
  optionProbs,
  type PolicyLossReport,
  type PolicySample,
  policyLoss,
  probsFromLogprobs,
} from './rl/policyLoss.ts';
export { type RlIteration, type RlOptions, trainRl } from './rl/trainRl.ts';
export { TRAINER_ERRORS, TrainerError, type TrainerErrorCode } from './TrainerError.ts';
export { chooserDigitIds } from './tokenizer/chooserDigitIds.ts';
export { SpmBpeEncoder, splitWords } from './tokenizer/SpmBpeEncoder.ts';
export { bytePiece, SPACE, type SpmVocab, TOKEN_TYPE } from './tokenizer/SpmVocab.ts';
export { tokenizerMetadata } from './tokenizer/tokenizerMetadata.ts';
export { type BpeTrainOptions, trainBpeTokenizer } from './tokenizer/trainBpeTokenizer.ts';
export { type LossCurveOptions, lossCurveSvg } from './train/lossCurveSvg.ts';
export { tokenizeCorpus, tokenizeCorpusWithAnswers } from './train/tokenizeCorpus.ts';
export { createOptimizer, type TrainLoopOptions, trainLoop } from './train/trainLoop.ts';
export { restoreTrainState, trainStateGguf } from './train/trainState.ts';
