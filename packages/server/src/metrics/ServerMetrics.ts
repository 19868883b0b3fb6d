import type { EngineMetrics } from '@dte/engine-core';
import { Histogram } from './Histogram.ts';

const LATENCY_BUCKETS_S = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60];
const ITL_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** Engine gauges read at scrape time. */
export interface EngineGauges extends EngineMetrics {
  numBlocks: number;
}

/**
 * Request-level latencies (measured at the HTTP layer, per request) and counters; `render` adds the
 * engine's gauges and counters at scrape time in the Prometheus text format.
 */
export class ServerMetrics {
  readonly ttft = new Histogram(
    'dte_time_to_first_token_seconds',
    'Time from request arrival to its first token.',
    LATENCY_BUCKETS_S,
  );
  readonly interToken = new Histogram(
    'dte_inter_token_latency_seconds',
    'Time between consecutive output tokens of a request.',
    ITL_BUCKETS_S,
  );
  readonly e2e = new Histogram(
    'dte_e2e_request_latency_seconds',
    'Time from request arrival to its last token.',
    LATENCY_BUCKETS_S,
  );
  private readonly httpRequests = new Map<string, number>();
  private numAborted = 0;

  /** Counts one HTTP response by route and status. */
  countRequest(route: string, status: number): void {
    const key = `route="${route}",status="${status}"`;
    this.httpRequests.set(key, (this.httpRequests.get(key) ?? 0) + 1);
  }

  /** Counts a generation aborted by a client disconnect. */
  countAbort(): void {
    this.numAborted++;
  }

  /** The whole exposition text. */
  render(engine: EngineGauges | null): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    if (engine !== null) {
      metric('dte_num_requests_running', 'gauge', 'Sequences in the running batch.', engine.numRunning);
      metric('dte_num_requests_waiting', 'gauge', 'Sequences waiting to be scheduled.', engine.numWaiting);
      metric(
        'dte_kv_cache_usage_perc',
        'gauge',
        'Fraction of KV blocks referenced by live sequences (0-1).',
        engine.kvUsage,
      );
      metric('dte_kv_cache_blocks_total', 'gauge', 'KV cache blocks.', engine.numBlocks);
      metric(
        'dte_kv_cache_blocks_in_use',
        'gauge',
        'KV cache blocks referenced by live sequences.',
        engine.numBlocks - engine.numFreeBlocks,
      );
      metric(
        'dte_prefix_cache_hit_rate',
        'gauge',
        'Fraction of looked-up prompt tokens served from the prefix cache.',
        engine.prefixCacheHitRate,
      );
      metric(
        'dte_prefix_cache_hits_total',
        'counter',
        'Prompt tokens served from the prefix cache.',
        engine.numPrefixHitTokens,
      );
      metric(
        'dte_num_preemptions_total',
        'counter',
        'Sequences preempted for lack of KV blocks.',
        engine.numPreemptions,
      );
      metric('dte_prompt_tokens_total', 'counter', 'Prompt tokens admitted.', engine.numPromptTokens);
      metric('dte_generation_tokens_total', 'counter', 'Tokens generated.', engine.numGeneratedTokens);
      metric('dte_engine_steps_total', 'counter', 'Engine steps run.', engine.numSteps);
    }
    metric('dte_request_aborts_total', 'counter', 'Generations aborted by a client disconnect.', this.numAborted);
    lines.push(
      '# HELP dte_http_requests_total HTTP responses by route and status.',
      '# TYPE dte_http_requests_total counter',
    );
    for (const [labels, n] of this.httpRequests) lines.push(`dte_http_requests_total{${labels}} ${n}`);
    lines.push(...this.ttft.render(), ...this.interToken.render(), ...this.e2e.render());
    return `${lines.join('\n')}\n`;
  }
}
