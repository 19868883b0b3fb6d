import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultModel } from '@dte/cli';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The model notebooks use: `../shared/models/stories260K.gguf` (a real trained TinyStories model) when
 * present, else the project's default model (echo-tiny when shipped, else a generated untrained one).
 */
export function notebookModel(): { path: string; label: string; trained: boolean } {
  const shared = process.env.DTE_SHARED_MODELS ?? join(REPO_ROOT, '..', 'shared', 'models');
  const stories = join(shared, 'stories260K.gguf');
  if (existsSync(stories)) return { path: stories, label: 'stories260K (TinyStories, trained)', trained: true };
  return defaultModel();
}
