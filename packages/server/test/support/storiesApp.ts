import { sharedModel } from '@dte/testkit';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp, loadServedModel, type ServedModel } from '../../src/index.ts';

/** The served id of the shared test model. */
export const MODEL_ID = 'stories260K';

/** stories260K on the TypeScript reference backend with a small KV cache (4096 tokens). */
export async function loadStories(): Promise<ServedModel> {
  return loadServedModel(sharedModel('stories260K.gguf'), {
    backend: 'reference',
    kvCacheBytes: 8 << 20,
    maxNumSeqs: 8,
    seed: 1,
  });
}

/** A fresh app over stories260K. */
export async function storiesApp(
  options: Omit<AppOptions, 'served'> = {},
): Promise<{ app: FastifyInstance; served: ServedModel }> {
  const served = await loadStories();
  const app = await buildApp({ ...options, served });
  return { app, served };
}

/** Parses an SSE body into its `data:` payloads (JSON, or the literal `[DONE]`). */
export function sseEvents(body: string): unknown[] {
  return body
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: '))
    .map((block) => {
      const data = block.slice(6);
      return data === '[DONE]' ? '[DONE]' : JSON.parse(data);
    });
}
