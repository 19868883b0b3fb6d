/** An atom's identity: a positive integer, never reused within one store. */
export type Handle = number;

/** OpenCog's SimpleTruthValue: strength (mean) and confidence; count is derived. */
export interface TruthValue {
  readonly strength: number;
  readonly confidence: number;
  /** Evidence count, `K * c / (1 - c)` with OpenCog's K = 800. */
  readonly count: number;
}

/** OpenCog's AttentionValue: short-, long- and very-long-term importance. */
export interface AttentionValue {
  readonly sti: number;
  readonly lti: number;
  readonly vlti: number;
}

/** A value stored under a key on an atom (OpenCog's "values" map). */
export type AtomValue = string | number | boolean | readonly number[] | Float32Array;

/** A read-only view of one atom. */
export interface AtomView {
  readonly handle: Handle;
  readonly type: string;
  /** Node name; `undefined` for links. */
  readonly name: string | undefined;
  /** Link outgoing set; `undefined` for nodes. */
  readonly outgoing: readonly Handle[] | undefined;
  readonly tv: TruthValue;
  readonly av: AttentionValue;
}

/** One change of the store, as emitted on `changes$` and written to the change log. */
export type AtomChange =
  | {
      readonly kind: 'added';
      readonly handle: Handle;
      readonly type: string;
      readonly name?: string;
      readonly outgoing?: readonly Handle[];
    }
  | { readonly kind: 'removed'; readonly handle: Handle; readonly av: AttentionValue }
  | { readonly kind: 'tv'; readonly handle: Handle; readonly strength: number; readonly confidence: number }
  | {
      readonly kind: 'av';
      readonly handle: Handle;
      readonly sti: number;
      readonly lti: number;
      readonly vlti: number;
      readonly old: AttentionValue;
    }
  | { readonly kind: 'value'; readonly handle: Handle; readonly key: string; readonly value: AtomValue | undefined };

/** OpenCog's confidence-to-count constant. */
export const TV_K = 800;

/** Builds a truth value from strength and confidence (count derived). */
export function truthValue(strength: number, confidence: number): TruthValue {
  return {
    strength,
    confidence,
    count: confidence >= 1 ? Number.POSITIVE_INFINITY : (TV_K * confidence) / (1 - confidence),
  };
}
