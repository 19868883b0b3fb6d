import { loadBinding } from '@dte/native';
import type { AttentionShape } from './attention.ts';

/** The training kernels of `@dte/native` (native/src/kernels/cpu/train/attention_train_binding.cc). */
interface TrainBinding {
  attentionTrainForward(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    out: Float32Array,
    probs: Float32Array,
    ...dims: number[]
  ): void;
  attentionTrainBackward(
    dOut: Float32Array,
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    probs: Float32Array,
    dq: Float32Array,
    dk: Float32Array,
    dv: Float32Array,
    ...dims: number[]
  ): void;
}

const binding = () => loadBinding() as unknown as TrainBinding;
const dims = (s: AttentionShape) => [s.numSeqs, s.seqLen, s.nHead, s.nHeadKv, s.headDim];

/** `attentionForward` on the native kernel (threaded): out and float32 probabilities. */
export function attentionForwardNative(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  s: AttentionShape,
): { out: Float32Array; probs: Float32Array } {
  const out = new Float32Array(q.length);
  const probs = new Float32Array(s.numSeqs * s.nHead * s.seqLen * s.seqLen);
  binding().attentionTrainForward(q, k, v, out, probs, ...dims(s));
  return { out, probs };
}

/** `attentionBackward` on the native kernel; accumulates into dq, dk, dv. */
export function attentionBackwardNative(
  dOut: Float32Array,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  probs: Float32Array,
  s: AttentionShape,
  dq: Float32Array,
  dk: Float32Array,
  dv: Float32Array,
): void {
  binding().attentionTrainBackward(dOut, q, k, v, probs, dq, dk, dv, ...dims(s));
}
