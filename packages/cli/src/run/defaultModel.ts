import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizeModel } from '@dte/engine-core';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** echo-tiny, the model the project trains itself (`npm run train:echo-tiny`), when it is committed. */
export const ECHO_TINY_PATH = join(REPO_ROOT, 'packages', 'trainer', 'models', 'echo-tiny.gguf');

/**
 * Where the generated stand-in model is cached (inside node_modules, never committed). The name says
 * which generator wrote it (`-sfc32`: the weights of the engine's SeededRng), so a file cached by an
 * older generator, with other weights for the same seed, is never picked up.
 */
export const SYNTHETIC_MODEL_PATH = join(
  REPO_ROOT,
  'node_modules',
  '.cache',
  'dte-models',
  'echo-untrained-tiny-q8_0-sfc32.gguf',
);

/** The default model of `dte run`, notebooks and demos. */
export interface DefaultModel {
  path: string;
  label: string;
  trained: boolean;
}

/**
 * The model used when `--model` is absent: echo-tiny when the repository ships it, else a small
 * synthetic llama (fixed seed, generated SentencePiece vocabulary) generated once, cached, and
 * labelled untrained wherever it is used.
 */
export function defaultModel(): DefaultModel {
  if (existsSync(ECHO_TINY_PATH)) {
    return {
      path: ECHO_TINY_PATH,
      label:
        'echo-tiny (1.8M-parameter llama trained by this project on its own arena corpus; see packages/trainer/models/README.md)',
      trained: true,
    };
  }
  if (!existsSync(SYNTHETIC_MODEL_PATH)) {
    mkdirSync(dirname(SYNTHETIC_MODEL_PATH), { recursive: true });
    const bytes = synthesizeModel({ arch: 'llama', params: 'tiny', type: 'Q8_0', seed: 20261124 });
    const tmp = `${SYNTHETIC_MODEL_PATH}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, SYNTHETIC_MODEL_PATH);
  }
  return {
    path: SYNTHETIC_MODEL_PATH,
    label: 'echo-untrained (synthetic tiny llama, Q8_0, random weights: UNTRAINED, its choices are noise)',
    trained: false,
  };
}
