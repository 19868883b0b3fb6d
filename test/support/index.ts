export { schemaArbitrary } from './schemaArbitrary.ts';
export {
  hasSharedModel,
  REPO_ROOT,
  SHARED_MODEL_ORIGINS,
  SHARED_MODELS_DIR,
  sharedModel,
  sharedModelHint,
} from './shared.ts';
