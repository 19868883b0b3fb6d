/** Hyper-parameters of {@link AdamW}. */
export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
 * p ← p − lr·(m̂/(√v̂ + ε) + λ·p) with bias-corrected m̂, v̂. One moment pair per parameter buffer;
 * `decay[i] = false` exempts buffer i (norm gains) from weight decay. The state can be saved and restored.
 * @example const opt = new AdamW(params.map((p) => p.length)); opt.step(params, grads, 1e-3)
 */
export class AdamW {
  readonly m: Float32Array[];
  readonly v: Float32Array[];
  t = 0;
  private readonly o: Required<AdamWOptions>;

  constructor(
    sizes: readonly number[],
    options: AdamWOptions = {},
    private readonly decay: readonly boolean[] = sizes.map(() => true),
  ) {
    this.o = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, ...options };
    this.m = sizes.map((n) => new Float32Array(n));
    this.v = sizes.map((n) => new Float32Array(n));
  }

  /** One update of every buffer in place at learning rate `lr`. */
  step(params: readonly Float32Array[], grads: readonly Float32Array[], lr: number): void {
    const { beta1, beta2, eps, weightDecay } = this.o;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    params.forEach((p, i) => {
      const g = grads[i]!;
      const m = this.m[i]!;
      const v = this.v[i]!;
      const wd = this.decay[i] === false ? 0 : weightDecay;
      for (let j = 0; j < p.length; j++) {
        const gj = g[j]!;
        m[j] = beta1 * m[j]! + (1 - beta1) * gj;
        v[j] = beta2 * v[j]! + (1 - beta2) * gj * gj;
        p[j] = p[j]! - lr * (m[j]! / c1 / (Math.sqrt(v[j]! / c2) + eps) + wd * p[j]!);
      }
    });
  }
}
