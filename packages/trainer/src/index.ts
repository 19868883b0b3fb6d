export {
  type CorpusOptions,
  type CorpusRecord,
  generateCorpus,
  PERSONAS,
  recordText,
} from './corpus/generateCorpus.ts';
export { answerFeel, answerSee, answerWhy, questionWhy, type Sight, sightsOf } from './corpus/narrate.ts';
export { renderChoiceContext, renderChoicePrompt } from './corpus/renderChoicePrompt.ts';
export { SpmBpeEncoder, splitWords } from './tokenizer/SpmBpeEncoder.ts';
export { bytePiece, SPACE, type SpmVocab, TOKEN_TYPE } from './tokenizer/SpmVocab.ts';
export { tokenizerMetadata } from './tokenizer/tokenizerMetadata.ts';
export { type BpeTrainOptions, trainBpeTokenizer } from './tokenizer/trainBpeTokenizer.ts';
