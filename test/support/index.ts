export { schemaArbitrary } from './schemaArbitrary.ts';
export { hasSharedModel, REPO_ROOT, SHARED_MODELS_DIR, sharedModel } from './shared.ts';
