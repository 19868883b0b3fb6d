import { Rng } from '@dte/arena';
import { embeddingBackward, embeddingForward } from '../ops/embedding.ts';
import { NATIVE_OPS } from '../ops/nativeOps.ts';
import { type TrainOps, TS_OPS } from '../ops/TrainOps.ts';
import { type Vec, zerosLike } from '../ops/Vec.ts';
import { TrainerError } from '../TrainerError.ts';

/** Hyper-parameters of a trainable Llama decoder. */
export interface TinyLlamaConfig {
  nVocab: number;
  nEmbd: number;
  nLayer: number;
  nHead: number;
  nHeadKv: number;
  nFf: number;
  normEps: number;
  ropeFreqBase: number;
  contextLength: number;
}

/**
 * The parameter names, in GGUF tensor naming (`token_embd.weight`, `blk.N.attn_q.weight`, …), with
 * their shapes as [rows, cols] (a weight is rows × cols, row-major; GGUF dims are [cols, rows]).
 */
export function parameterShapes(c: TinyLlamaConfig): Array<[string, number, number]> {
  const hd = c.nEmbd / c.nHead;
  const shapes: Array<[string, number, number]> = [['token_embd.weight', c.nVocab, c.nEmbd]];
  for (let l = 0; l < c.nLayer; l++) {
    const b = `blk.${l}.`;
    shapes.push(
      [`${b}attn_norm.weight`, 1, c.nEmbd],
      [`${b}attn_q.weight`, c.nHead * hd, c.nEmbd],
      [`${b}attn_k.weight`, c.nHeadKv * hd, c.nEmbd],
      [`${b}attn_v.weight`, c.nHeadKv * hd, c.nEmbd],
      [`${b}attn_output.weight`, c.nEmbd, c.nHead * hd],
      [`${b}ffn_norm.weight`, 1, c.nEmbd],
      [`${b}ffn_gate.weight`, c.nFf, c.nEmbd],
      [`${b}ffn_up.weight`, c.nFf, c.nEmbd],
      [`${b}ffn_down.weight`, c.nEmbd, c.nFf],
    );
  }
  shapes.push(['output_norm.weight', 1, c.nEmbd], ['output.weight', c.nVocab, c.nEmbd]);
  return shapes;
}

/**
 * A Llama-architecture decoder with a hand-written backward pass (the engine's forward semantics:
 * RMSNorm, adjacent-pair RoPE, causal GQA attention, SwiGLU, untied output). `lossAndGrad` runs the
 * forward on `numSeqs` sequences of equal length, the cross-entropy on `targets` (−1 = not scored)
 * and the backward; gradients land in `grads` (same names as `params`). Float64 parameters make the
 * whole model checkable against finite differences.
 * @example const m = TinyLlama.init(config, 1); const loss = m.lossAndGrad(tokens, targets, 4)
 */
export class TinyLlama {
  readonly grads = new Map<string, Vec>();
  private readonly ops: TrainOps;

  /**
   * `kernels: 'native'` runs every op but the embedding on `@dte/native` (float32 parameters only;
   * float64 ones always take the TypeScript path).
   */
  constructor(
    readonly config: TinyLlamaConfig,
    readonly params: Map<string, Vec>,
    readonly kernels: 'ts' | 'native' = 'ts',
  ) {
    for (const [name, p] of params) this.grads.set(name, zerosLike(p, p.length));
    this.ops = kernels === 'native' ? NATIVE_OPS : TS_OPS;
  }

  /** Seeded initialisation: N(0, 0.02) weights (residual projections scaled by 1/√(2·layers)), unit norm gains. */
  static init(
    config: TinyLlamaConfig,
    seed: number,
    dtype: 'f32' | 'f64' = 'f32',
    kernels: 'ts' | 'native' = 'ts',
  ): TinyLlama {
    if (config.nEmbd % config.nHead !== 0 || config.nHead % config.nHeadKv !== 0 || (config.nEmbd / config.nHead) % 2)
      throw new TrainerError(
        'DTE_ERR_TRAINER_BAD_OPTIONS',
        'TinyLlama: nEmbd must split into nHead even-sized heads, nHead into nHeadKv groups',
      );
    const rng = new Rng(seed);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const params = new Map<string, Vec>();
    for (const [name, rows, cols] of parameterShapes(config)) {
      const p = dtype === 'f64' ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
      if (name.endsWith('norm.weight')) p.fill(1);
      else {
        const std = /attn_output|ffn_down/.test(name) ? 0.02 / Math.sqrt(2 * config.nLayer) : 0.02;
        for (let i = 0; i < p.length; i++) p[i] = gauss() * std;
      }
      params.set(name, p);
    }
    return new TinyLlama(config, params, kernels);
  }

  private p(name: string): Vec {
    return this.params.get(name)!;
  }

  private g(name: string): Vec {
    return this.grads.get(name)!;
  }

  /** Logits [T×V] of `tokens` (numSeqs sequences of equal length, flattened). */
  logits(tokens: Int32Array, numSeqs: number): Vec {
    return this.run(tokens, numSeqs, null).logits;
  }

  /**
   * Mean cross-entropy over scored targets (≥ 0; 0 when none is scored); with `backward` (default) also
   * fills `grads` (zeroed first). Only scored positions go through the output layer.
   */
  lossAndGrad(tokens: Int32Array, targets: Int32Array, numSeqs: number, backward = true): number {
    return this.run(tokens, numSeqs, targets, backward).loss;
  }

  /**
   * The forward on `numSeqs` equal-length sequences, then a loss of the caller's on the logits of the
   * rows (token indices) in `rows` — `loss(logits[rows × vocab])` returns the loss and its gradient
   * with respect to those logits — and, with `backward`, the backward into `grads`. Policy-gradient
   * training scores the option digit this way. Returns the loss.
   */
  customLossAndGrad(
    tokens: Int32Array,
    numSeqs: number,
    rows: readonly number[],
    loss: (logits: Vec, numRows: number, nVocab: number) => { loss: number; dLogits: Vec },
    backward = true,
  ): number {
    const targets = new Int32Array(tokens.length).fill(-1);
    for (const r of rows) targets[r] = 0;
    return this.run(tokens, numSeqs, targets, backward, loss).loss;
  }

  /** Logits of the given rows (token indices) only, `[rows × vocab]`, with no backward. */
  rowLogits(tokens: Int32Array, numSeqs: number, rows: readonly number[]): Vec {
    let out: Vec | undefined;
    this.customLossAndGrad(
      tokens,
      numSeqs,
      rows,
      (logits) => {
        out = logits.slice();
        return { loss: 0, dLogits: zerosLike(logits, logits.length) };
      },
      false,
    );
    return out!;
  }

  private run(
    tokens: Int32Array,
    numSeqs: number,
    targets: Int32Array | null,
    backward = false,
    custom?: (logits: Vec, numRows: number, nVocab: number) => { loss: number; dLogits: Vec },
  ) {
    const c = this.config;
    const d = c.nEmbd;
    const hd = d / c.nHead;
    const T = tokens.length;
    const L = T / numSeqs;
    if (!Number.isInteger(L) || L < 1)
      throw new TrainerError(
        'DTE_ERR_TRAINER_BAD_OPTIONS',
        'TinyLlama: tokens must split into numSeqs equal sequences',
      );
    if (targets && targets.length !== T)
      throw new TrainerError('DTE_ERR_TRAINER_BAD_OPTIONS', 'TinyLlama: targets must have one entry per token');
    const pos = Int32Array.from({ length: T }, (_, t) => t % L);
    const shape = { numSeqs, seqLen: L, nHead: c.nHead, nHeadKv: c.nHeadKv, headDim: hd };
    const qd = c.nHead * hd;
    const kvd = c.nHeadKv * hd;
    const eps = c.normEps;
    const ops = this.ops;
    let x = embeddingForward(this.p('token_embd.weight'), tokens, d);
    const saved = [];
    for (let l = 0; l < c.nLayer; l++) {
      const b = `blk.${l}.`;
      const n1 = ops.rmsNorm(x, this.p(`${b}attn_norm.weight`), T, d, eps);
      const q = ops.rope(
        ops.linear(n1.y, this.p(`${b}attn_q.weight`), T, d, qd),
        pos,
        c.nHead,
        hd,
        c.ropeFreqBase,
        false,
      );
      const k = ops.rope(
        ops.linear(n1.y, this.p(`${b}attn_k.weight`), T, d, kvd),
        pos,
        c.nHeadKv,
        hd,
        c.ropeFreqBase,
        false,
      );
      const v = ops.linear(n1.y, this.p(`${b}attn_v.weight`), T, d, kvd);
      const att = ops.attention(q, k, v, shape);
      const o = ops.linear(att.out, this.p(`${b}attn_output.weight`), T, qd, d);
      const x1 = zerosLike(x, T * d);
      for (let i = 0; i < x1.length; i++) x1[i] = x[i]! + o[i]!;
      const n2 = ops.rmsNorm(x1, this.p(`${b}ffn_norm.weight`), T, d, eps);
      const gate = ops.linear(n2.y, this.p(`${b}ffn_gate.weight`), T, d, c.nFf);
      const up = ops.linear(n2.y, this.p(`${b}ffn_up.weight`), T, d, c.nFf);
      const s = ops.swiglu(gate, up);
      const f = ops.linear(s, this.p(`${b}ffn_down.weight`), T, c.nFf, d);
      const x2 = zerosLike(x, T * d);
      for (let i = 0; i < x2.length; i++) x2[i] = x1[i]! + f[i]!;
      saved.push({ x, n1, q, k, v, att, x1, n2, gate, up, s });
      x = x2;
    }
    const nf = ops.rmsNorm(x, this.p('output_norm.weight'), T, d, eps);
    if (!targets) return { logits: ops.linear(nf.y, this.p('output.weight'), T, d, c.nVocab), loss: Number.NaN };
    // Only scored rows reach the output layer and the loss (answer masks leave most rows unscored).
    const rows: number[] = [];
    for (let t = 0; t < T; t++) if (targets[t]! >= 0) rows.push(t);
    const S = rows.length;
    if (S === 0) {
      if (backward) for (const g of this.grads.values()) g.fill(0);
      return { logits: zerosLike(x, 0), loss: 0 };
    }
    const hs = zerosLike(x, S * d);
    rows.forEach((t, i) => {
      hs.set(nf.y.subarray(t * d, (t + 1) * d), i * d);
    });
    const logits = ops.linear(hs, this.p('output.weight'), S, d, c.nVocab);
    const ce = custom
      ? custom(logits, S, c.nVocab)
      : ops.crossEntropy(
          logits,
          Int32Array.from(rows, (t) => targets[t]!),
          c.nVocab,
        );
    if (!backward) return { logits, loss: ce.loss };
    for (const g of this.grads.values()) g.fill(0);
    const dHs = zerosLike(x, S * d);
    ops.linearBackward(ce.dLogits, hs, this.p('output.weight'), S, d, c.nVocab, dHs, this.g('output.weight'));
    const dNf = zerosLike(x, T * d);
    rows.forEach((t, i) => {
      dNf.set(dHs.subarray(i * d, (i + 1) * d), t * d);
    });
    let dx = zerosLike(x, T * d);
    ops.rmsNormBackward(dNf, x, this.p('output_norm.weight'), nf.saved, T, d, eps, dx, this.g('output_norm.weight'));
    for (let l = c.nLayer - 1; l >= 0; l--) {
      const b = `blk.${l}.`;
      const sv = saved[l]!;
      // x2 = x1 + down(swiglu(gate(n2), up(n2)))
      const dx1 = dx.slice();
      const dS = zerosLike(x, T * c.nFf);
      ops.linearBackward(dx, sv.s, this.p(`${b}ffn_down.weight`), T, c.nFf, d, dS, this.g(`${b}ffn_down.weight`));
      const dGate = zerosLike(x, T * c.nFf);
      const dUp = zerosLike(x, T * c.nFf);
      ops.swigluBackward(dS, sv.gate, sv.up, dGate, dUp);
      const dN2 = zerosLike(x, T * d);
      ops.linearBackward(
        dGate,
        sv.n2.y,
        this.p(`${b}ffn_gate.weight`),
        T,
        d,
        c.nFf,
        dN2,
        this.g(`${b}ffn_gate.weight`),
      );
      ops.linearBackward(dUp, sv.n2.y, this.p(`${b}ffn_up.weight`), T, d, c.nFf, dN2, this.g(`${b}ffn_up.weight`));
      ops.rmsNormBackward(
        dN2,
        sv.x1,
        this.p(`${b}ffn_norm.weight`),
        sv.n2.saved,
        T,
        d,
        eps,
        dx1,
        this.g(`${b}ffn_norm.weight`),
      );
      // x1 = x + wo(attention(rope(wq n1), rope(wk n1), wv n1))
      const dx0 = dx1.slice();
      const dAtt = zerosLike(x, T * qd);
      ops.linearBackward(
        dx1,
        sv.att.out,
        this.p(`${b}attn_output.weight`),
        T,
        qd,
        d,
        dAtt,
        this.g(`${b}attn_output.weight`),
      );
      const dq = zerosLike(x, T * qd);
      const dk = zerosLike(x, T * kvd);
      const dv = zerosLike(x, T * kvd);
      ops.attentionBackward(dAtt, sv.q, sv.k, sv.v, sv.att.probs, shape, dq, dk, dv);
      const dN1 = zerosLike(x, T * d);
      const dqPre = ops.rope(dq, pos, c.nHead, hd, c.ropeFreqBase, true);
      const dkPre = ops.rope(dk, pos, c.nHeadKv, hd, c.ropeFreqBase, true);
      ops.linearBackward(dqPre, sv.n1.y, this.p(`${b}attn_q.weight`), T, d, qd, dN1, this.g(`${b}attn_q.weight`));
      ops.linearBackward(dkPre, sv.n1.y, this.p(`${b}attn_k.weight`), T, d, kvd, dN1, this.g(`${b}attn_k.weight`));
      ops.linearBackward(dv, sv.n1.y, this.p(`${b}attn_v.weight`), T, d, kvd, dN1, this.g(`${b}attn_v.weight`));
      ops.rmsNormBackward(
        dN1,
        sv.x,
        this.p(`${b}attn_norm.weight`),
        sv.n1.saved,
        T,
        d,
        eps,
        dx0,
        this.g(`${b}attn_norm.weight`),
      );
      dx = dx0;
    }
    embeddingBackward(dx, tokens, d, this.g('token_embd.weight'));
    return { logits, loss: ce.loss };
  }
}
