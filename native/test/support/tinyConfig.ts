import type { LlamaConfig } from '../../src/LlamaModel.ts';

/** A tiny Llama config (2 layers, 64 wide, 4 heads / 2 KV heads) with overrides. */
export const tinyConfig = (over: Partial<LlamaConfig> = {}): LlamaConfig => ({
  arch: 'llama',
  nVocab: 97,
  nEmbd: 64,
  nLayer: 2,
  nHead: 4,
  nHeadKv: 2,
  headDim: 16,
  nFf: 96,
  normEps: 1e-5,
  ropeFreqBase: 10000,
  ropeNeox: false,
  ropeScaling: { type: 'none', factor: 1, origCtx: 0 },
  blockSize: 4,
  numBlocks: 64,
  ...over,
});
