import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CudaProbe } from './bindingTypes.ts';
import { loadBinding } from './loadBinding.ts';
import { NativeError } from './NativeError.ts';

/** Where a model's forward runs. `auto`: CUDA when a device is usable, else the CPU. */
export type BackendName = 'cpu' | 'cuda' | 'auto';
/** A backend a model actually runs on. */
export type ResolvedBackend = 'cpu' | 'cuda';

const NATIVE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The CUDA backend library: `DTE_CUDA_LIBRARY` when set, else `build/cuda/libdte_cuda.so` (made by
 * `npm run build:cuda -w native`, which the install runs where nvcc exists).
 */
export function cudaLibraryPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.DTE_CUDA_LIBRARY;
  if (override !== undefined && override !== '') return resolve(override);
  return resolve(NATIVE_ROOT, 'build', 'cuda', 'libdte_cuda.so');
}

/**
 * What CUDA can do on this machine: whether the library is built, its devices, and when there are
 * none, why (no library, no driver, no device). Never throws for a missing library, driver or device.
 */
export function cudaInfo(env: NodeJS.ProcessEnv = process.env): CudaProbe {
  const library = cudaLibraryPath(env);
  if (!existsSync(library)) {
    return {
      built: false,
      library,
      devices: [],
      reason: `not built: ${library} does not exist (the install builds it where nvcc is found; or set DTE_CUDA_LIBRARY)`,
    };
  }
  return loadBinding().cudaProbe(library);
}

/**
 * The backend `name` means here: `auto` → `cuda` when a device is usable, else `cpu`. Asking for
 * `cuda` where it cannot run throws `DTE_ERR_NATIVE_BACKEND_UNAVAILABLE` with the probe's reason; an
 * unknown name throws `DTE_ERR_NATIVE_BACKEND_UNKNOWN`.
 */
export function resolveBackend(name: BackendName, env: NodeJS.ProcessEnv = process.env): ResolvedBackend {
  if (name === 'cpu') return 'cpu';
  if (name !== 'cuda' && name !== 'auto') {
    throw new NativeError('DTE_ERR_NATIVE_BACKEND_UNKNOWN', `backend '${String(name)}' is not cpu, cuda or auto`);
  }
  const info = cudaInfo(env);
  if (info.devices.length > 0) return 'cuda';
  if (name === 'auto') return 'cpu';
  throw new NativeError('DTE_ERR_NATIVE_BACKEND_UNAVAILABLE', `backend cuda is not available here: ${info.reason}`);
}
