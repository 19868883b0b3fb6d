import type { LoadBackend } from '@dte/engine-core';
import { CliError } from './CliError.ts';

/** How `--backend` reads in usage lines. */
export const BACKEND_CHOICES = 'cpu|cuda|auto|reference';

/**
 * `--backend`: `cpu` (default), `cuda`, `auto` (CUDA when a device is usable, else the CPU) or
 * `reference` (the f32 TypeScript forward); `native` is the old name of `cpu`.
 */
export function parseBackend(value: string | undefined, usage: string): Exclude<LoadBackend, 'native'> {
  const v = value ?? 'cpu';
  if (v === 'native') return 'cpu';
  if (v === 'cpu' || v === 'cuda' || v === 'auto' || v === 'reference') return v;
  throw new CliError('DTE_ERR_CLI_USAGE', `--backend must be cpu, cuda, auto or reference, got '${v}'\n${usage}`);
}
