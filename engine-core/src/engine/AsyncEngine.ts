import { EngineError } from '../EngineError.ts';
import type { EngineMetrics, GenerateRequest, GenerationDelta, LlmEngine } from './LlmEngine.ts';

/** A generation request with an optional abort signal (client disconnects, timeouts). */
export interface AsyncGenerateRequest extends GenerateRequest {
  signal?: AbortSignal;
}

interface Stream {
  queue: GenerationDelta[];
  wake: (() => void) | undefined;
  numOpen: number;
  error: unknown;
  done: boolean;
}

interface EmbedJob {
  inputs: number[][];
  resolve: (v: Float32Array[]) => void;
  reject: (e: unknown) => void;
}

/**
 * Owns the engine loop: steps while there is work, awaiting the (off-thread) forward so the event loop
 * stays free, and fans deltas out to per-request async iterables. The serving engine callers hold:
 * build it with `createEngine`; the synchronous core it drives is private, and what callers may read
 * of it (queue depth, slots, KV blocks, metrics) is the getters here.
 * @example
 * const engine = createEngine(await loadModel('m.gguf'), { policy: 'priority' });
 * for await (const d of engine.generate({ prompt: 'Hi', sampling: { maxTokens: 8 } })) process.stdout.write(d.text);
 */
export class AsyncEngine {
  private readonly core: LlmEngine;
  private readonly streams = new Map<string, Stream>();
  private readonly embedJobs: EmbedJob[] = [];
  private loopPromise: Promise<void> | undefined;
  private isClosed = false;
  private stepsDone = 0;
  private stepInFlight: Promise<unknown> | undefined;
  private swapping: Promise<unknown> = Promise.resolve();
  private readonly stepWaiters: Array<{ at: number; resolve: () => void }> = [];

  /** Drives `core`; callers use `createEngine`, which builds the core from a loaded model. */
  constructor(core: LlmEngine) {
    this.core = core;
  }

  /**
   * Starts a request and streams its deltas (one per sample per step) until every sample finishes.
   * Validation errors throw here, synchronously. Aborting `signal` or leaving the loop early aborts
   * the request and frees its KV blocks.
   */
  generate(req: AsyncGenerateRequest): AsyncIterableIterator<GenerationDelta> {
    if (this.isClosed) throw new EngineError('DTE_ERR_ENGINE_CLOSED', 'AsyncEngine.generate: engine is closed');
    const { signal, ...rest } = req;
    if (signal?.aborted) throw new EngineError('DTE_ERR_ENGINE_BAD_REQUEST', 'AsyncEngine.generate: signal aborted');
    const requestId = this.core.addRequest(rest);
    const stream: Stream = { queue: [], wake: undefined, numOpen: req.sampling?.n ?? 1, error: undefined, done: false };
    this.streams.set(requestId, stream);
    const onAbort = (): void => this.abort(requestId);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.kick();
    const cleanup = (): void => signal?.removeEventListener('abort', onAbort);
    const iterator: AsyncIterableIterator<GenerationDelta> = {
      next: async (): Promise<IteratorResult<GenerationDelta>> => {
        for (;;) {
          const d = stream.queue.shift();
          if (d !== undefined) return { value: d, done: false };
          if (stream.error !== undefined) {
            cleanup();
            throw stream.error;
          }
          if (stream.done) {
            cleanup();
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => {
            stream.wake = resolve;
          });
        }
      },
      return: async (): Promise<IteratorResult<GenerationDelta>> => {
        cleanup();
        if (!stream.done) this.abort(requestId);
        stream.queue.length = 0;
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Collects a whole generation (every sample) into its deltas. */
  async collect(req: AsyncGenerateRequest): Promise<GenerationDelta[]> {
    const out: GenerationDelta[] = [];
    for await (const d of this.generate(req)) out.push(d);
    return out;
  }

  /**
   * Embeds texts (tokenized with BOS) or token lists: mean-pooled, L2-normalised final hidden states.
   */
  embed(inputs: readonly (string | readonly number[])[]): Promise<Float32Array[]> {
    if (this.isClosed) return Promise.reject(new EngineError('DTE_ERR_ENGINE_CLOSED', 'AsyncEngine.embed: closed'));
    let ids: number[][];
    try {
      ids = inputs.map((x) => (typeof x === 'string' ? this.core.tokenizer.encode(x) : [...x]));
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.embedJobs.push({ inputs: ids, resolve, reject });
      this.kick();
    });
  }

  /** Aborts a request by id (no-op when unknown or finished). */
  abort(requestId: string): void {
    this.core.abort(requestId);
    this.kick();
  }

  /** Live priority change for every queued and running request of an owner. */
  setPriority(ownerKey: string, priority: number): number {
    return this.core.setPriority(ownerKey, priority);
  }

  /** Current counters and gauges (summarises the latency windows: not for every request). */
  metrics(): EngineMetrics {
    return this.core.metrics();
  }

  /** Requests in flight: queued, running, or with a sample not yet finished. */
  get numRequests(): number {
    return this.core.numRequests;
  }

  /** Sequences waiting for a slot or for KV blocks: the queue depth, cheap enough for every request. */
  get numWaiting(): number {
    return this.core.numWaiting;
  }

  /** Most sequences running at once (a request's `n` may not exceed it). */
  get maxNumSeqs(): number {
    return this.core.maxNumSeqs;
  }

  /** KV blocks of the cache. */
  get numBlocks(): number {
    return this.core.numBlocks;
  }

  /** Longest sequence (prompt + output) a request may reach. */
  get maxModelLen(): number {
    return this.core.maxModelLen;
  }

  /**
   * Swaps the model between two steps (see `LlmEngine.swapExecutor`): waits for the step in flight,
   * then swaps before the next one starts. Resolves with the number of running sequences preempted.
   */
  async swapExecutor(next: Parameters<LlmEngine['swapExecutor']>[0]): Promise<{ preempted: number }> {
    this.swapping = this.swapping.then(async () => {
      while (this.stepInFlight) await this.stepInFlight;
      return this.core.swapExecutor(next);
    });
    return this.swapping as Promise<{ preempted: number }>;
  }

  /** Scheduler steps run so far. */
  get steps(): number {
    return this.stepsDone;
  }

  /**
   * Resolves once `n` more scheduler steps have run (each after the deltas it produced were delivered
   * and their consumers ran), or as soon as the engine has no work left. The paced clock of a
   * simulation counts time in these steps: equal compute per tick, whatever the wall clock does.
   */
  afterSteps(n: number): Promise<void> {
    if (!Number.isInteger(n) || n < 0)
      return Promise.reject(new EngineError('DTE_ERR_ENGINE_BAD_REQUEST', 'AsyncEngine.afterSteps: n must be ≥ 0'));
    return new Promise((resolve) => {
      this.stepWaiters.push({ at: this.stepsDone + n, resolve });
      // Requests submitted in the same turn of the event loop start the loop first; an idle engine
      // releases the waiter right after.
      setImmediate(() => this.releaseWaiters());
    });
  }

  /** Aborts everything and waits for the loop to stop; later calls are refused. */
  async close(): Promise<void> {
    this.isClosed = true;
    for (const id of this.streams.keys()) this.core.abort(id);
    this.kick();
    await this.loopPromise;
  }

  /**
   * Starts the loop on the next turn of the event loop, so that requests submitted together (in one
   * synchronous burst) are scheduled together, by priority, in its first step.
   */
  private kick(): void {
    this.loopPromise ??= new Promise<void>((r) => setImmediate(r))
      .then(() => this.loop())
      .finally(() => {
        this.loopPromise = undefined;
        if (this.hasWork()) this.kick();
        else this.releaseWaiters();
      });
  }

  private releaseWaiters(): void {
    const idle = this.loopPromise === undefined && !this.hasWork();
    for (let i = this.stepWaiters.length - 1; i >= 0; i--) {
      const w = this.stepWaiters[i]!;
      if (idle || w.at <= this.stepsDone) {
        this.stepWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private hasWork(): boolean {
    return this.core.hasUnfinished() || this.embedJobs.length > 0;
  }

  private async loop(): Promise<void> {
    while (this.hasWork()) {
      const job = this.embedJobs[0];
      const total = job?.inputs.reduce((a, x) => Math.max(a, x.length), 0) ?? 0;
      if (job !== undefined && (this.core.canEmbed(total) || !this.core.hasUnfinished())) {
        this.embedJobs.shift();
        try {
          job.resolve(await this.core.embedTokens(job.inputs));
        } catch (e) {
          job.reject(e);
        }
      } else {
        let deltas: GenerationDelta[];
        try {
          await this.swapping.catch(() => undefined); // a swap asked for between steps happens first
          const stepping = this.core.step();
          this.stepInFlight = stepping.catch(() => undefined);
          deltas = await stepping;
        } catch (e) {
          this.failAll(e);
          return;
        } finally {
          this.stepInFlight = undefined;
        }
        this.dispatch(deltas);
        this.stepsDone++;
      }
      // Let I/O, timers and other streams run between steps.
      await new Promise<void>((r) => setImmediate(r));
      this.releaseWaiters();
    }
  }

  private dispatch(deltas: readonly GenerationDelta[]): void {
    for (const d of deltas) {
      const s = this.streams.get(d.requestId);
      if (s === undefined) continue;
      s.queue.push(d);
      if (d.finishReason !== null && --s.numOpen === 0) {
        s.done = true;
        this.streams.delete(d.requestId);
      }
      s.wake?.();
      s.wake = undefined;
    }
  }

  private failAll(error: unknown): void {
    for (const [id, s] of this.streams) {
      s.error = error;
      s.wake?.();
      s.wake = undefined;
      this.streams.delete(id);
      this.core.abort(id);
    }
    for (const job of this.embedJobs.splice(0)) job.reject(error);
  }
}
