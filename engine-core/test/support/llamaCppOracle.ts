import { getLlama, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';

let llamaPromise: Promise<Llama> | undefined;

/** The shared CPU-only llama.cpp instance (prebuilt binaries, never builds). */
export function cpuLlama(): Promise<Llama> {
  llamaPromise ??= getLlama({ gpu: false, build: 'never', logLevel: 'error' as never });
  return llamaPromise;
}

/**
 * llama.cpp (through node-llama-cpp) as the reference implementation: loads a GGUF and returns
 * raw logits for given token ids. Its KV cache is f32 and flash attention is off, so that the
 * comparison measures our maths, not llama.cpp's f16 cache rounding.
 */
export class LlamaCppOracle {
  private readonly sequence: LlamaContextSequence;

  private constructor(
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly nVocab: number,
  ) {
    this.sequence = context.getSequence();
  }

  static async load(
    path: string,
    opts: { contextSize?: number; threads?: number; sequences?: number; kvCacheType?: 'F32' | 'F16' } = {},
  ) {
    const llama = await cpuLlama();
    const model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    const contextSize = opts.contextSize ?? 512;
    const context = await model.createContext({
      contextSize,
      batchSize: contextSize,
      threads: opts.threads ?? 1,
      sequences: opts.sequences ?? 1,
      flashAttention: false,
      experimentalKvCacheKeyType: opts.kvCacheType ?? 'F32',
      experimentalKvCacheValueType: opts.kvCacheType ?? 'F32',
    });
    return new LlamaCppOracle(model, context, vocabOf(model));
  }

  /** Logits after the last of `tokens`, evaluated from an empty sequence. */
  async lastLogits(tokens: number[]): Promise<Float32Array> {
    const seq = this.sequence;
    await seq.clearHistory();
    const res = await seq.controlledEvaluate(
      tokens.map((t, i) => (i === tokens.length - 1 ? [t, { generateNext: { logits: true } }] : t)) as never,
    );
    return this.toArray(res[res.length - 1]?.next?.logits);
  }

  /** Logits after every one of `tokens` (row i follows token i), evaluated from an empty sequence. */
  async allLogits(tokens: number[]): Promise<Float32Array> {
    const seq = this.sequence;
    await seq.clearHistory();
    const res = await seq.controlledEvaluate(tokens.map((t) => [t, { generateNext: { logits: true } }]) as never);
    const out = new Float32Array(tokens.length * this.nVocab);
    for (let i = 0; i < tokens.length; i++) out.set(this.toArray(res[i]?.next?.logits), i * this.nVocab);
    return out;
  }

  /** Greedy decoding: argmax of llama.cpp's own logits at each step, `n` new tokens. */
  async greedy(prompt: number[], n: number): Promise<number[]> {
    const seq = this.sequence;
    await seq.clearHistory();
    const out: number[] = [];
    let input = prompt;
    for (let step = 0; step < n; step++) {
      const res = await seq.controlledEvaluate(
        input.map((t, i) => (i === input.length - 1 ? [t, { generateNext: { logits: true } }] : t)) as never,
      );
      const logits = this.toArray(res[res.length - 1]?.next?.logits);
      let best = 0;
      for (let j = 1; j < logits.length; j++) if (logits[j]! > logits[best]!) best = j;
      out.push(best);
      input = [best];
    }
    return out;
  }

  /** Tokenizes with llama.cpp's tokenizer (no BOS added). */
  tokenize(text: string): number[] {
    return Array.from(this.model.tokenize(text, false), Number);
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }

  private toArray(map: Map<number, number> | undefined): Float32Array {
    if (!map) throw new Error('LlamaCppOracle: no logits returned');
    const out = new Float32Array(this.nVocab || map.size);
    for (const [t, v] of map) out[t] = v;
    return out;
  }
}

function vocabOf(model: LlamaModel): number {
  const emb = model.fileInfo.tensorInfo?.find((t) => t.name === 'token_embd.weight');
  return emb ? Number(emb.dimensions[1]) : 0;
}

/** The CPU features of the llama.cpp variant this machine loaded (its `llama_print_system_info`). */
export async function llamaCppVariant(): Promise<string> {
  return (await cpuLlama()).systemInfo.replace(/\s*\|\s*$/, '').trim();
}

/** The weight types every parity test sweeps. */
export const PARITY_TYPES = ['F32', 'F16', 'BF16', 'Q8_0', 'Q4_0', 'Q4_K', 'Q6_K'] as const;
