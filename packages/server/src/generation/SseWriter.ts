import type { FastifyReply } from 'fastify';
import { envelopeOf } from '../plugins/errorPlugin.ts';
import type { ServerError } from '../ServerError.ts';

/**
 * Server-Sent Events on a hijacked reply, OpenAI style: `data: {json}\n\n` per chunk, then
 * `data: [DONE]\n\n`. Writes after the client left are dropped.
 */
export class SseWriter {
  private readonly reply: FastifyReply;

  constructor(reply: FastifyReply) {
    this.reply = reply;
    // A hijacked reply skips fastify's onResponse hooks: count it here.
    reply.server.serverMetrics?.countRequest(reply.request.routeOptions.url ?? 'unknown', 200);
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
  }

  get isOpen(): boolean {
    return !this.reply.raw.destroyed && !this.reply.raw.writableEnded;
  }

  send(data: unknown): void {
    if (this.isOpen) this.reply.raw.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  /** An error after the stream began: the envelope as one event (vLLM and OpenAI do the same). */
  sendError(err: ServerError): void {
    this.send(envelopeOf(err));
  }

  done(): void {
    if (!this.isOpen) return;
    this.reply.raw.write('data: [DONE]\n\n');
    this.reply.raw.end();
  }
}
