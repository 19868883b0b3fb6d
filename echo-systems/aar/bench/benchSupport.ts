import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadedModel, loadModel, synthesizeModel } from '@dte/engine-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** echo-tiny (the project's trained model) when the repository ships it, else a synthetic stand-in. */
export function benchModel(path?: string): { path: string; label: string; load: () => Promise<LoadedModel> } {
  const pick = (): { path: string; label: string } => {
    if (path) return { path, label: path };
    const echoTiny = join(root, 'packages', 'trainer', 'models', 'echo-tiny.gguf');
    if (existsSync(echoTiny)) return { path: echoTiny, label: 'echo-tiny (trained)' };
    const synth = join(root, 'node_modules', '.cache', 'dte-bench', 'echo-loop-tiny-q8_0.gguf');
    if (!existsSync(synth)) {
      mkdirSync(dirname(synth), { recursive: true });
      writeFileSync(synth, synthesizeModel({ arch: 'llama', params: 'tiny', type: 'Q8_0', seed: 7 }));
    }
    return { path: synth, label: 'synthetic tiny (untrained)' };
  };
  const m = pick();
  return { ...m, load: () => loadModel(m.path, { kvCacheBytes: 256 << 20 }) };
}
