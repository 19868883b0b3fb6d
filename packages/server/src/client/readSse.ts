/**
 * Reads an OpenAI-style Server-Sent Events body (`fetch` response) and yields each `data:` payload
 * parsed as JSON, stopping at `data: [DONE]`. An error envelope in the stream is thrown.
 * @example for await (const chunk of readSse(await fetch(url, { method: 'POST', body }))) console.log(chunk)
 */
export async function* readSse(response: Response): AsyncGenerator<Record<string, unknown>> {
  if (response.body === null) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      for (const line of block.split('\n')) {
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') return;
        const parsed = JSON.parse(data) as Record<string, unknown>;
        if (parsed.error !== undefined) {
          const e = parsed.error as { message?: string; code?: string };
          throw Object.assign(new Error(e.message ?? 'stream error'), { code: e.code });
        }
        yield parsed;
      }
    }
  }
}
