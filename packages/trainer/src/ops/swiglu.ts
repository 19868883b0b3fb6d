import { type Vec, zerosLike } from './Vec.ts';

/** SwiGLU's gate: out = silu(gate) ⊙ up, elementwise. */
export function swigluForward(gate: Vec, up: Vec): Vec {
  const out = zerosLike(gate, gate.length);
  for (let i = 0; i < gate.length; i++) {
    const g = gate[i]!;
    out[i] = (g / (1 + Math.exp(-g))) * up[i]!;
  }
  return out;
}

/** Backward of {@link swigluForward}: silu'(g) = σ(g)(1 + g(1 − σ(g))). Accumulates into dGate, dUp. */
export function swigluBackward(dOut: Vec, gate: Vec, up: Vec, dGate: Vec, dUp: Vec): void {
  for (let i = 0; i < gate.length; i++) {
    const g = gate[i]!;
    const sg = 1 / (1 + Math.exp(-g));
    dUp[i]! += dOut[i]! * g * sg;
    dGate[i]! += dOut[i]! * up[i]! * sg * (1 + g * (1 - sg));
  }
}
