import { EngineError } from '../EngineError.ts';
import type { ModelExecutor } from '../model/LlamaTypes.ts';
import { BlockManager } from './BlockManager.ts';
import type { EngineTokenizer } from './EngineTokenizer.ts';
import { LatencyStats, type LatencySummary } from './LatencyStats.ts';
import { ModelRunner } from './ModelRunner.ts';
import { type SampleResult, Sampler } from './Sampler.ts';
import { resolveSamplingParams, type SamplingParams } from './SamplingParams.ts';
import { Scheduler, type SchedulerOptions } from './Scheduler.ts';
import { SeededRng } from './SeededRng.ts';
import { type FinishReason, Sequence } from './Sequence.ts';
import { SequenceOutput } from './SequenceOutput.ts';

/** A generation request. Give `prompt` (tokenized with BOS) or `promptTokenIds`. */
export interface GenerateRequest {
  /** Unique id; generated when absent. */
  requestId?: string;
  prompt?: string;
  promptTokenIds?: readonly number[];
  sampling?: Partial<SamplingParams>;
  /** Higher runs first under the `priority` policy. Default 0. */
  priority?: number;
  /** Owner key (e.g. an agent id) for {@link LlmEngine.setPriority}. */
  owner?: string;
}

/** Token counts of a finished sample. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** New output of one sample of a request after a step. */
export interface GenerationDelta {
  requestId: string;
  /** Sample index (0 … n-1). */
  index: number;
  /** New text (never a broken UTF-8 character, never part of a stop string). */
  text: string;
  tokenIds: number[];
  /** Per new token, when `logprobs` or `topLogprobs` was asked. */
  logprobs?: SampleResult[];
  finishReason: FinishReason | null;
  /** On the last delta of a sample. */
  usage?: Usage;
  /** Set when the engine failed the request (then finishReason is 'abort'). */
  error?: EngineError;
}

/** Options of an {@link LlmEngine}. */
export interface LlmEngineOptions extends SchedulerOptions {
  executor: ModelExecutor;
  tokenizer: EngineTokenizer;
  /** KV blocks the executor's cache holds (the model's `numBlocks`). */
  numBlocks: number;
  /** Default 16; must equal the executor's. */
  blockSize?: number;
  /** Logit row width. Default: the tokenizer's vocabulary size. */
  vocabSize?: number;
  /** Default true. */
  enablePrefixCaching?: boolean;
  /** Longest sequence (prompt + output). Default: the whole KV cache. */
  maxModelLen?: number;
  /** Seed of the stream that seeds requests without their own seed. Default 0. */
  seed?: number;
  /** Clock in ms (injectable for tests). Default `performance.now`. */
  now?: () => number;
}

/** Engine counters and gauges. */
export interface EngineMetrics {
  numRunning: number;
  numWaiting: number;
  kvUsage: number;
  numFreeBlocks: number;
  prefixCacheHitRate: number;
  numPrefixHitTokens: number;
  numPreemptions: number;
  numSteps: number;
  numPromptTokens: number;
  numGeneratedTokens: number;
  ttftMs: LatencySummary;
  interTokenLatencyMs: LatencySummary;
}

interface RequestState {
  requestId: string;
  seqs: Sequence[];
  /** Samples 1 … n-1, forked from sample 0 once its prompt is computed. */
  unforked: Sequence[];
  outputs: Map<Sequence, SequenceOutput>;
  numPromptTokens: number;
}

/**
 * The synchronous-core serving engine (nano-vLLM's LLMEngine): `addRequest`, then `step()` =
 * schedule → run → postprocess, returning the deltas of that step. Internal to engine-core: callers get
 * an `AsyncEngine` over one from `createEngine(loadModel(...))`; tests and benchmarks of the core
 * build it directly.
 * @example
 * const engine = new LlmEngine({ executor: model, tokenizer, numBlocks: 256 });
 * engine.addRequest({ prompt: 'Once upon', sampling: { temperature: 0, maxTokens: 8 } });
 * while (engine.hasUnfinished()) for (const d of await engine.step()) process.stdout.write(d.text);
 */
export class LlmEngine {
  readonly blocks: BlockManager;
  readonly scheduler: Scheduler;
  readonly runner: ModelRunner;
  readonly sampler: Sampler;
  readonly tokenizer: EngineTokenizer;
  readonly maxModelLen: number;
  private readonly requests = new Map<string, RequestState>();
  private readonly seedRng: SeededRng;
  private readonly now: () => number;
  private readonly pendingAborts = new Set<string>();
  private outbox: GenerationDelta[] = [];
  private nextSeqId = 0;
  private nextArrival = 0;
  private nextRequestId = 0;
  private isStepping = false;
  private numSteps = 0;
  private numPromptTokens = 0;
  private numGeneratedTokens = 0;
  private readonly ttft = new LatencyStats();
  private readonly itl = new LatencyStats();

  constructor(options: LlmEngineOptions) {
    const blockSize = options.blockSize ?? 16;
    this.blocks = new BlockManager({
      numBlocks: options.numBlocks,
      blockSize,
      enablePrefixCaching: options.enablePrefixCaching ?? true,
    });
    this.scheduler = new Scheduler(this.blocks, options);
    this.runner = new ModelRunner(options.executor, blockSize);
    this.tokenizer = options.tokenizer;
    this.sampler = new Sampler(options.vocabSize ?? options.tokenizer.vocabSize);
    this.maxModelLen = options.maxModelLen ?? options.numBlocks * blockSize;
    this.seedRng = new SeededRng(options.seed ?? 0, 0x5eed);
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Validates and queues a request; returns its id.
   * @throws EngineError `DTE_ERR_ENGINE_BAD_REQUEST`, `DTE_ERR_ENGINE_BAD_PARAMS`,
   *   `DTE_ERR_ENGINE_PROMPT_TOO_LONG`, `DTE_ERR_ENGINE_DUPLICATE_REQUEST`.
   */
  addRequest(req: GenerateRequest): string {
    const requestId = req.requestId ?? `req-${this.nextRequestId++}`;
    if (this.requests.has(requestId)) {
      throw new EngineError('DTE_ERR_ENGINE_DUPLICATE_REQUEST', `LlmEngine.addRequest: ${requestId} is in flight`);
    }
    const params = resolveSamplingParams(req.sampling, this.sampler.vocabSize);
    const prompt = this.promptTokens(req);
    const priority = req.priority ?? 0;
    if (!Number.isFinite(priority)) throw badRequest('priority must be a finite number');
    if (prompt.length + 1 > this.maxModelLen) {
      throw new EngineError(
        'DTE_ERR_ENGINE_PROMPT_TOO_LONG',
        `LlmEngine.addRequest: ${prompt.length} prompt tokens leave no room under maxModelLen ${this.maxModelLen}`,
      );
    }
    if (params.n > this.scheduler.maxNumSeqs) throw badRequest(`n exceeds maxNumSeqs ${this.scheduler.maxNumSeqs}`);
    const seed = params.seed ?? this.seedRng.nextUint32();
    const arrivalOrder = this.nextArrival++;
    const state: RequestState = {
      requestId,
      seqs: [],
      unforked: [],
      outputs: new Map(),
      numPromptTokens: prompt.length,
    };
    for (let i = 0; i < params.n; i++) {
      const seq = new Sequence({
        seqId: this.nextSeqId++,
        requestId,
        sampleIndex: i,
        promptTokenIds: prompt,
        params,
        seed,
        priority,
        ownerKey: req.owner,
        arrivalOrder,
        step: this.scheduler.stepCount,
      });
      state.seqs.push(seq);
      state.outputs.set(seq, new SequenceOutput(seq, this.tokenizer, this.maxModelLen, this.now()));
      if (i > 0) state.unforked.push(seq);
    }
    state.seqs[0]!.numPendingForks = params.n - 1;
    this.scheduler.add(state.seqs[0]!);
    this.requests.set(requestId, state);
    this.numPromptTokens += prompt.length;
    return requestId;
  }

  /** Aborts a request (after the step in flight, if any); its blocks are freed and it ends with 'abort'. */
  abort(requestId: string): void {
    if (!this.requests.has(requestId)) return;
    this.pendingAborts.add(requestId);
    if (!this.isStepping) this.applyAborts();
  }

  /** Changes the priority of every queued and running request of an owner; returns how many sequences. */
  setPriority(ownerKey: string, priority: number): number {
    if (!Number.isFinite(priority)) throw badRequest('setPriority: priority must be a finite number');
    let n = this.scheduler.setPriority(ownerKey, priority);
    for (const state of this.requests.values()) {
      for (const seq of state.unforked) {
        if (seq.ownerKey === ownerKey) {
          seq.priority = priority;
          n++;
        }
      }
    }
    return n;
  }

  hasUnfinished(): boolean {
    return this.requests.size > 0 || this.outbox.length > 0;
  }

  /** Requests in flight: queued, running, or with a sample not yet finished. */
  get numRequests(): number {
    return this.requests.size;
  }

  /** Sequences waiting for a slot or for KV blocks (cheap, unlike `metrics()`). */
  get numWaiting(): number {
    return this.scheduler.waiting.length;
  }

  /** Most sequences running at once (a request's `n` may not exceed it). */
  get maxNumSeqs(): number {
    return this.scheduler.maxNumSeqs;
  }

  /** KV blocks of the cache. */
  get numBlocks(): number {
    return this.blocks.numBlocks;
  }

  /**
   * Runs another model from the next step on (new weights, the same vocabulary and KV geometry): the
   * hot swap of a model being trained. Every cached prefix is dropped (its keys and values came from the
   * old weights) and every running sequence is preempted by recompute, so its prompt and the tokens it
   * has generated so far are prefilled again on the new weights before it samples its next token;
   * waiting requests are untouched, and no request fails or is cut short. Between steps only.
   * @throws EngineError `DTE_ERR_ENGINE_BAD_CONFIG` during a step.
   */
  swapExecutor(next: ModelExecutor): { preempted: number } {
    if (this.isStepping)
      throw new EngineError('DTE_ERR_ENGINE_BAD_CONFIG', 'LlmEngine.swapExecutor: not during a step');
    const preempted = this.scheduler.preemptAll();
    this.blocks.resetPrefixCache();
    this.runner.executor = next;
    return { preempted: preempted.length };
  }

  /** One engine step: schedule → run → postprocess. Returns the new deltas. */
  async step(): Promise<GenerationDelta[]> {
    if (this.isStepping) throw new EngineError('DTE_ERR_ENGINE_BAD_CONFIG', 'LlmEngine.step: already stepping');
    this.isStepping = true;
    try {
      this.applyAborts();
      const plan = this.scheduler.schedule();
      for (const { seq, error } of plan.finished) {
        const held =
          error === undefined ? (this.requests.get(seq.requestId)?.outputs.get(seq)?.finishText() ?? '') : '';
        this.finishSeq(seq, seq.finishReason ?? 'length', held, error, true);
      }
      if (plan.scheduled.length > 0) {
        this.numSteps++;
        const prepared = this.runner.prepare(plan.scheduled);
        let logits: Float32Array;
        try {
          logits = await this.runner.run(prepared);
        } catch (err) {
          const error = err as EngineError;
          for (const seq of plan.scheduled) if (!seq.isFinished) this.failRequest(seq.requestId, error);
          return this.takeOutbox();
        }
        this.postprocess(plan.scheduled, prepared.rows, logits);
      }
      this.applyAborts();
      return this.takeOutbox();
    } finally {
      this.isStepping = false;
    }
  }

  /** Current counters and gauges. */
  metrics(): EngineMetrics {
    return {
      numRunning: this.scheduler.running.length,
      numWaiting: this.scheduler.waiting.length,
      kvUsage: this.blocks.usage,
      numFreeBlocks: this.blocks.numFreeBlocks,
      prefixCacheHitRate: this.blocks.hitRate,
      numPrefixHitTokens: this.blocks.numHitTokens,
      numPreemptions: this.scheduler.numPreemptions,
      numSteps: this.numSteps,
      numPromptTokens: this.numPromptTokens,
      numGeneratedTokens: this.numGeneratedTokens,
      ttftMs: this.ttft.summary(),
      interTokenLatencyMs: this.itl.summary(),
    };
  }

  /**
   * Mean-pooled, L2-normalised final hidden states of each token list (run between steps, never
   * during one). Throws `DTE_ERR_ENGINE_KV_EXHAUSTED` when the free KV blocks cannot hold an input now.
   */
  async embedTokens(inputs: readonly (readonly number[])[]): Promise<Float32Array[]> {
    if (this.isStepping) throw new EngineError('DTE_ERR_ENGINE_BAD_CONFIG', 'LlmEngine.embedTokens: step in flight');
    this.isStepping = true;
    try {
      const result: Float32Array[] = [];
      for (const ids of inputs) result.push(await this.embedOne(ids));
      return result;
    } finally {
      this.isStepping = false;
    }
  }

  /** Whether `numTokens` tokens fit in the free KV blocks right now. */
  canEmbed(numTokens: number): boolean {
    return this.blocks.blocksFor(numTokens) <= this.blocks.numFreeBlocks;
  }

  private async embedOne(ids: readonly number[]): Promise<Float32Array> {
    if (ids.length === 0) throw badRequest('embed: empty input');
    for (const t of ids) {
      if (!Number.isInteger(t) || t < 0 || t >= this.sampler.vocabSize) throw badRequest(`embed: bad token id ${t}`);
    }
    if (!this.canEmbed(ids.length)) {
      throw new EngineError(
        'DTE_ERR_ENGINE_KV_EXHAUSTED',
        `LlmEngine.embedTokens: ${ids.length} tokens do not fit now`,
      );
    }
    const seq = new Sequence({
      seqId: this.nextSeqId++,
      requestId: '#embed',
      sampleIndex: 0,
      promptTokenIds: ids,
      params: resolveSamplingParams({}, this.sampler.vocabSize),
      seed: 0,
      priority: 0,
      ownerKey: undefined,
      arrivalOrder: -1,
      step: 0,
    });
    let sum: Float64Array | undefined;
    try {
      while (seq.numComputedTokens < seq.numTokens) {
        const num = Math.min(seq.numUncomputedTokens, this.scheduler.maxNumBatchedTokens);
        this.blocks.allocate(seq, num);
        seq.numScheduledTokens = num;
        const prepared = this.runner.prepare([seq], true);
        const hidden = await this.runner.run(prepared);
        const width = hidden.length / num;
        sum ??= new Float64Array(width);
        for (let r = 0; r < num; r++) for (let j = 0; j < width; j++) sum[j]! += hidden[r * width + j]!;
        seq.numComputedTokens += num;
      }
    } finally {
      this.blocks.free(seq);
    }
    const out = new Float32Array(sum!.length);
    let norm = 0;
    for (let j = 0; j < out.length; j++) norm += (sum![j]! / ids.length) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < out.length; j++) out[j] = (sum![j]! / ids.length) * scale;
    return out;
  }

  private postprocess(scheduled: readonly Sequence[], rows: readonly Sequence[], logits: Float32Array): void {
    for (const seq of scheduled) {
      seq.numComputedTokens += seq.numScheduledTokens;
      seq.numScheduledTokens = 0;
      this.blocks.commitComputed(seq);
    }
    const V = this.sampler.vocabSize;
    if (logits.length < rows.length * V) {
      const error = new EngineError(
        'DTE_ERR_ENGINE_EXECUTOR_FAILED',
        'LlmEngine.step: executor returned too few logits',
      );
      for (const seq of rows) this.failRequest(seq.requestId, error);
      return;
    }
    const now = this.now();
    for (let r = 0; r < rows.length; r++) {
      const seq = rows[r]!;
      if (seq.isFinished) continue;
      const state = this.requests.get(seq.requestId)!;
      const forks = seq.numPendingForks > 0 ? this.forkSamples(state, seq) : [];
      for (const s of [seq, ...forks]) this.sampleAndEmit(state, s, logits, r * V, now);
    }
  }

  private forkSamples(state: RequestState, parent: Sequence): Sequence[] {
    const children = state.unforked.splice(0);
    parent.numPendingForks = 0;
    for (const child of children) {
      this.blocks.fork(parent, child, parent.numPromptTokens);
      child.priority = parent.priority;
      this.scheduler.addRunning(child);
    }
    return children;
  }

  private sampleAndEmit(state: RequestState, seq: Sequence, logits: Float32Array, offset: number, now: number): void {
    const out = state.outputs.get(seq)!;
    const sample = this.sampler.sample(logits, offset, seq, out.blockedTokens(seq));
    seq.appendToken(sample.tokenId);
    this.numGeneratedTokens++;
    if (out.firstTokenTime === undefined) {
      out.firstTokenTime = now;
      this.ttft.record(now - out.arrivalTime);
    } else if (out.lastTokenTime !== undefined) {
      this.itl.record(now - out.lastTokenTime);
    }
    out.lastTokenTime = now;
    const outcome = out.onToken(seq, sample.tokenId);
    const wantLogprobs = seq.params.logprobs || seq.params.topLogprobs > 0;
    const delta: GenerationDelta = {
      requestId: seq.requestId,
      index: seq.sampleIndex,
      text: outcome.text,
      tokenIds: [sample.tokenId],
      finishReason: null,
    };
    if (wantLogprobs) delta.logprobs = [sample];
    if (outcome.finishReason !== undefined) {
      this.scheduler.finish(seq, outcome.finishReason);
      this.completeDelta(state, seq, delta);
    }
    this.outbox.push(delta);
  }

  private completeDelta(state: RequestState, seq: Sequence, delta: GenerationDelta): void {
    delta.finishReason = seq.finishReason ?? 'abort';
    delta.usage = {
      promptTokens: state.numPromptTokens,
      completionTokens: seq.numOutputTokens,
      totalTokens: state.numPromptTokens + seq.numOutputTokens,
    };
    if (state.seqs.every((s) => s.isFinished)) this.requests.delete(state.requestId);
  }

  /** Ends a sequence outside sampling (scheduler verdicts, aborts, failures). */
  private finishSeq(seq: Sequence, reason: FinishReason, text: string, error?: EngineError, byScheduler = false): void {
    const state = this.requests.get(seq.requestId);
    if (state === undefined || (seq.isFinished && !byScheduler)) return;
    if (!byScheduler) this.scheduler.finish(seq, reason);
    const delta: GenerationDelta = {
      requestId: seq.requestId,
      index: seq.sampleIndex,
      text,
      tokenIds: [],
      finishReason: null,
    };
    if (error !== undefined) delta.error = error;
    this.completeDelta(state, seq, delta);
    this.outbox.push(delta);
    // Unforked samples die with their parent.
    if (seq.sampleIndex === 0) {
      for (const child of state.unforked.splice(0)) this.finishSeq(child, reason, '', error);
    }
  }

  private failRequest(requestId: string, error: EngineError): void {
    const state = this.requests.get(requestId);
    if (state === undefined) return;
    for (const seq of state.seqs) this.finishSeq(seq, 'abort', '', error);
  }

  private applyAborts(): void {
    for (const id of this.pendingAborts) {
      const state = this.requests.get(id);
      if (state !== undefined) for (const seq of state.seqs) this.finishSeq(seq, 'abort', '');
    }
    this.pendingAborts.clear();
  }

  private takeOutbox(): GenerationDelta[] {
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  private promptTokens(req: GenerateRequest): number[] {
    if (req.promptTokenIds !== undefined) {
      const ids = [...req.promptTokenIds];
      for (const t of ids) {
        if (!Number.isInteger(t) || t < 0 || t >= this.sampler.vocabSize) throw badRequest(`bad token id ${t}`);
      }
      if (ids.length === 0) throw badRequest('empty prompt');
      return ids;
    }
    if (typeof req.prompt !== 'string') throw badRequest('give prompt or promptTokenIds');
    const ids = this.tokenizer.encode(req.prompt);
    if (ids.length === 0) throw badRequest('empty prompt');
    return ids;
  }
}

function badRequest(why: string): EngineError {
  return new EngineError('DTE_ERR_ENGINE_BAD_REQUEST', `LlmEngine.addRequest: ${why}`);
}
