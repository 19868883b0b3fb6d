// Test-only helper (not exported from the barrel): llama.cpp's vocabulary test vectors, extracted once
// from the git bundle of llama.cpp that node-llama-cpp ships, into node_modules/.cache/dte-vocab/.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BUNDLE = join(REPO_ROOT, 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle');

/** Vocabularies whose `.gguf`, `.gguf.inp` and `.gguf.out` are extracted. */
export const VOCAB_NAMES = [
  'llama-spm',
  'llama-bpe',
  'qwen2',
  'gpt-2',
  'phi-3',
  'qwen35',
  'starcoder',
  'refact',
  'command-r',
  'mpt',
  'falcon',
  'deepseek-coder',
  'deepseek-llm',
  'gemma-4',
] as const;
/** Vocabularies shipped without test vectors (`.gguf` only): checked against llama.cpp directly. */
export const VECTORLESS_VOCAB_NAMES = ['gpt-neox'] as const;
export type VocabName = (typeof VOCAB_NAMES)[number] | (typeof VECTORLESS_VOCAB_NAMES)[number];

/** Real chat templates from llama.cpp's `models/templates/` (extracted as `NAME.jinja`). */
export const TEMPLATE_NAMES = [
  'Qwen-Qwen2.5-7B-Instruct',
  'meta-llama-Llama-3.1-8B-Instruct',
  'google-gemma-2-2b-it',
  'HuggingFaceTB-SmolLM3-3B',
  'Qwen-Qwen3-0.6B',
  'mistralai-Mistral-Nemo-Instruct-2407',
  'microsoft-Phi-3.5-mini-instruct',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** One test case: input text and llama.cpp's ids for it (add_special = false, parse_special = false). */
export interface VocabCase {
  text: string;
  ids: number[];
}

function git(args: string[], stdoutFd?: number): void {
  const r = spawnSync('git', args, { stdio: ['ignore', stdoutFd ?? 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.error?.message ?? r.stderr?.toString()}`);
}

/**
 * Folder holding `ggml-vocab-NAME.gguf{,.inp,.out}` for {@link VOCAB_NAMES}; extracts them on first
 * use. Idempotent and safe when several test workers race: each file is written under a temporary
 * name and renamed into place.
 */
export function vocabDir(): string {
  const stamp = statSync(BUNDLE).size.toString(16);
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'dte-vocab', stamp);
  const files = [
    ...VOCAB_NAMES.flatMap((n) => ['', '.inp', '.out'].map((e) => `ggml-vocab-${n}.gguf${e}`)),
    ...VECTORLESS_VOCAB_NAMES.map((n) => `ggml-vocab-${n}.gguf`),
    ...TEMPLATE_NAMES.map((n) => `templates/${n}.jinja`),
  ];
  if (files.every((f) => existsSync(join(dir, f)))) return dir;
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'dte-vocab-'));
  try {
    const gitDir = join(work, 'repo.git');
    git(['init', '--quiet', '--bare', gitDir]);
    git(['--git-dir', gitDir, 'fetch', '--quiet', BUNDLE, 'HEAD:refs/heads/bundle']);
    mkdirSync(join(dir, 'templates'), { recursive: true });
    for (const f of files) {
      if (existsSync(join(dir, f))) continue;
      const tmp = join(dir, `${f}.tmp-${process.pid}-${Math.floor(performance.now() * 1000)}`);
      const fd = openSync(tmp, 'w');
      try {
        git(['--git-dir', gitDir, 'show', `bundle:models/${f}`], fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(dir, f));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/** Source text of one of llama.cpp's real chat templates. */
export function chatTemplateSource(name: TemplateName): string {
  return readFileSync(join(vocabDir(), 'templates', `${name}.jinja`), 'utf8');
}

/** Path of `ggml-vocab-NAME.gguf`. */
export function vocabGguf(name: VocabName): string {
  return join(vocabDir(), `ggml-vocab-${name}.gguf`);
}

/**
 * The test cases of a vocabulary, parsed like llama.cpp's test-tokenizer-0: inputs separated by
 * `\n__ggml_vocab_test__\n`, one output line per input with space-separated ids.
 */
export function vocabCases(name: (typeof VOCAB_NAMES)[number]): VocabCase[] {
  const dir = vocabDir();
  const raw = readFileSync(join(dir, `ggml-vocab-${name}.gguf.inp`), 'utf8');
  const lines = readFileSync(join(dir, `ggml-vocab-${name}.gguf.out`), 'utf8').split('\n');
  const sep = '\n__ggml_vocab_test__\n';
  const inputs: string[] = [];
  for (let pos = 0; pos < raw.length; ) {
    const next = raw.indexOf(sep, pos);
    if (next < 0) {
      inputs.push(raw.substring(pos));
      break;
    }
    inputs.push(raw.substring(pos, next));
    pos = next + sep.length;
  }
  if (lines.at(-1) === '') lines.pop();
  if (lines.length !== inputs.length) throw new Error(`${name}: ${inputs.length} inputs but ${lines.length} outputs`);
  return inputs.map((text, i) => {
    const o = lines[i]!.trim();
    return { text, ids: o === '' ? [] : o.split(' ').map(Number) };
  });
}
