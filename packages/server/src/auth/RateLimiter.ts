/** Per-minute limits of one API key; absent = unlimited. */
export interface RateLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** The verdict of {@link RateLimiter.check}. */
export type RateVerdict = { ok: true } | { ok: false; limit: 'requests' | 'tokens'; retryAfterS: number };

const WINDOW_MS = 60_000;

/**
 * Sliding one-minute windows of requests and tokens per key, with an injectable clock.
 * `check` admits (and counts) a request; `addTokens` charges the tokens it used once known.
 * @example const rl = new RateLimiter(); rl.check('k', { requestsPerMinute: 1 }).ok // true, then false
 */
export class RateLimiter {
  private readonly requests = new Map<string, number[]>();
  private readonly tokens = new Map<string, { t: number; n: number }[]>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Admits one request of `key` under `limits` (counting it) or says when to retry. */
  check(key: string, limits: RateLimits): RateVerdict {
    const t = this.now();
    const reqs = prune(this.requests, key, t, (x) => x);
    const toks = prune(this.tokens, key, t, (x) => x.t);
    if (limits.requestsPerMinute !== undefined && reqs.length >= limits.requestsPerMinute) {
      return { ok: false, limit: 'requests', retryAfterS: retryAfter(reqs[0] ?? t, t) };
    }
    if (limits.tokensPerMinute !== undefined) {
      let used = 0;
      for (const x of toks) used += x.n;
      if (used >= limits.tokensPerMinute)
        return { ok: false, limit: 'tokens', retryAfterS: retryAfter(toks[0]?.t ?? t, t) };
    }
    reqs.push(t);
    return { ok: true };
  }

  /** Charges `n` tokens (prompt + completion) to `key` now. */
  addTokens(key: string, n: number): void {
    if (n <= 0) return;
    const list = this.tokens.get(key) ?? [];
    list.push({ t: this.now(), n });
    this.tokens.set(key, list);
  }
}

function prune<T>(map: Map<string, T[]>, key: string, t: number, at: (x: T) => number): T[] {
  const list = map.get(key) ?? [];
  let i = 0;
  while (i < list.length && at(list[i]!) <= t - WINDOW_MS) i++;
  const kept = i === 0 ? list : list.slice(i);
  map.set(key, kept);
  return kept;
}

function retryAfter(oldest: number, t: number): number {
  return Math.max(1, Math.ceil((oldest + WINDOW_MS - t) / 1000));
}
