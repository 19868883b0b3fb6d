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

  static async load(path: string, opts: { contextSize?: number; threads?: number; sequences?: number } = {}) {
    const llama = await cpuLlama();
    const model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    const contextSize = opts.contextSize ?? 512;
    const context = await model.createContext({
      contextSize,
      batchSize: contextSize,
      threads: opts.threads ?? 1,
      sequences: opts.sequences ?? 1,
      flashAttention: false,
      experimentalKvCacheKeyType: 'F32',
      experimentalKvCacheValueType: 'F32',
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

/** The weight types every parity test sweeps. */
export const PARITY_TYPES = ['F32', 'F16', 'BF16', 'Q8_0', 'Q4_0', 'Q4_K', 'Q6_K'] as const;

/**
 * Max-abs logit tolerance against llama.cpp on synthetic models (logit rms ≈ 4), per weight type.
 * f32-class types agree to float noise; the others allow for llama.cpp rounding activations to the
 * weight type's dot type (bf16, Q8_0 or Q8_K) before its matmuls. Measured: 0.05 (BF16) and
 * 0.19–0.33 (8-bit activations); the bounds are about twice that.
 */
export const PARITY_TOLERANCE: Record<(typeof PARITY_TYPES)[number], number> = {
  F32: 1e-3,
  F16: 1e-3,
  BF16: 0.12,
  Q8_0: 0.5,
  Q4_0: 0.5,
  Q4_K: 0.6,
  Q6_K: 0.6,
};
