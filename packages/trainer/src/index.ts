export {
  type CorpusOptions,
  type CorpusRecord,
  generateCorpus,
  PERSONAS,
  recordText,
} from './corpus/generateCorpus.ts';
export { answerFeel, answerSee, answerWhy, questionWhy, type Sight, sightsOf } from './corpus/narrate.ts';
export { renderChoiceContext, renderChoicePrompt } from './corpus/renderChoicePrompt.ts';
