import { main } from '../../src/main.ts';

/** Collects what a command writes. */
class Sink {
  text = '';
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  }
}

/**
 * Runs `dte` in-process with captured streams.
 * @example const { status, stdout } = await runDte(['tokenize', '--model', path, 'hi'])
 */
export async function runDte(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const status = await main(args, { stdout, stderr } as unknown as Parameters<typeof main>[1]);
  return { status, stdout: stdout.text, stderr: stderr.text };
}
