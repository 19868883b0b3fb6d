import { GGML_TYPE, GGUF_TYPE, type GgufFile, readGguf, writeGguf } from '@dte/engine-core';
import type { TinyLlama } from '../model/TinyLlama.ts';
import type { AdamW } from '../optim/AdamW.ts';
import { TrainerError } from '../TrainerError.ts';

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The optimiser state of a run as a GGUF sidecar (`adam.m.<param>`, `adam.v.<param>` F32 tensors,
 * `train.step` = the next step to run, `train.adam_t`): with the weights' checkpoint, enough to resume
 * training exactly.
 * @example writeFileSync('run.state.gguf', trainStateGguf(model, opt, 1200))
 */
export function trainStateGguf(model: TinyLlama, opt: AdamW, nextStep: number): Uint8Array {
  const names = [...model.params.keys()];
  const tensors = names.flatMap((name, i) => [
    { name: `adam.m.${name}`, type: GGML_TYPE.F32, dims: [opt.m[i]!.length], data: bytes(opt.m[i]!) },
    { name: `adam.v.${name}`, type: GGML_TYPE.F32, dims: [opt.v[i]!.length], data: bytes(opt.v[i]!) },
  ]);
  return writeGguf({
    metadata: [
      { key: 'general.architecture', type: GGUF_TYPE.STRING, value: 'dte-train-state' },
      { key: 'train.step', type: GGUF_TYPE.UINT32, value: nextStep },
      { key: 'train.adam_t', type: GGUF_TYPE.UINT32, value: opt.t },
    ],
    tensors,
  });
}

/** Restores `opt` (built for `model`) from a {@link trainStateGguf} file; returns the next step to run. */
export function restoreTrainState(source: string | Uint8Array | GgufFile, model: TinyLlama, opt: AdamW): number {
  const file = typeof source === 'string' || source instanceof Uint8Array ? readGguf(source) : source;
  const step = file.metadata.get('train.step');
  const t = file.metadata.get('train.adam_t');
  if (typeof step !== 'number' || typeof t !== 'number')
    throw new TrainerError('DTE_ERR_TRAINER_BAD_CHECKPOINT', 'restoreTrainState: not a train state');
  [...model.params.keys()].forEach((name, i) => {
    for (const [kind, dst] of [
      ['m', opt.m[i]!],
      ['v', opt.v[i]!],
    ] as const) {
      const tensor = file.tensor(`adam.${kind}.${name}`);
      if (!tensor || tensor.nElements !== dst.length)
        throw new TrainerError('DTE_ERR_TRAINER_BAD_CHECKPOINT', `restoreTrainState: adam.${kind}.${name} missing`);
      dst.set(new Float32Array(tensor.data.slice().buffer));
    }
  });
  opt.t = t;
  return step;
}
