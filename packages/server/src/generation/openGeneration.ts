import type { GenerateRequest, GenerationDelta } from '@dte/engine-core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServedModel } from '../ServedModel.ts';

/**
 * Starts a generation for an HTTP request and returns its deltas. Engine validation errors throw
 * here, synchronously, before anything is sent. While it runs, the response's `close` before the end
 * (a client disconnect) aborts it, which frees its KV blocks; latencies go to the metrics and the
 * tokens used are charged to the caller's API key.
 */
export function openGeneration(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  served: ServedModel,
  genReq: GenerateRequest,
): AsyncIterableIterator<GenerationDelta> {
  const t0 = performance.now();
  const controller = new AbortController();
  const inner = served.engine.generate({ ...genReq, signal: controller.signal });
  let isDone = false;
  const onClose = (): void => {
    if (isDone) return;
    isDone = true;
    app.serverMetrics.countAbort();
    req.log.info({ requestId: genReq.requestId }, 'client disconnected: generation aborted');
    controller.abort();
  };
  reply.raw.once('close', onClose);
  const metrics = app.serverMetrics;
  const lastTokenAt = new Map<number, number>();
  let numPromptTokens = 0;
  let numCompletionTokens = 0;
  async function* tracked(): AsyncGenerator<GenerationDelta> {
    try {
      for await (const d of inner) {
        if (d.tokenIds.length > 0) {
          const now = performance.now();
          const last = lastTokenAt.get(d.index);
          if (last === undefined) {
            if (lastTokenAt.size === 0) metrics.ttft.observe((now - t0) / 1000);
          } else {
            metrics.interToken.observe((now - last) / 1000 / d.tokenIds.length);
          }
          lastTokenAt.set(d.index, now);
        }
        if (d.usage !== undefined) {
          numPromptTokens = d.usage.promptTokens;
          numCompletionTokens += d.usage.completionTokens;
        }
        yield d;
      }
      metrics.e2e.observe((performance.now() - t0) / 1000);
    } finally {
      isDone = true;
      reply.raw.off('close', onClose);
      app.chargeTokens(req, numPromptTokens + numCompletionTokens);
    }
  }
  return tracked();
}

/** Merges several delta streams into one, in arrival order; `offsets[i]` is added to stream i's indices. */
export async function* mergeStreams(
  streams: readonly AsyncIterator<GenerationDelta>[],
  indexOffsets: readonly number[],
): AsyncGenerator<GenerationDelta & { promptIndex: number }> {
  const pending = new Map<number, Promise<{ i: number; r: IteratorResult<GenerationDelta> }>>();
  const pull = (i: number): void => {
    pending.set(
      i,
      streams[i]!.next().then((r) => ({ i, r })),
    );
  };
  for (let i = 0; i < streams.length; i++) pull(i);
  try {
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        continue;
      }
      pull(i);
      yield { ...r.value, index: r.value.index + indexOffsets[i]!, promptIndex: i };
    }
  } finally {
    for (const [i] of pending) await streams[i]!.return?.();
  }
}
