import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { type CpuInfo, type CudaProbe, cpuInfo, cudaInfo, forcedIsa, resolveBackend } from '@dte/native';
import { CliError } from '../CliError.ts';
import type { Command } from '../Command.ts';
import { parseOptions } from '../parseOptions.ts';

const usage = `Usage: dte doctor [--json]

What this machine can run: the CPU's kernel paths (which one is chosen, and why) and CUDA (whether
libdte_cuda.so is built, its devices, and when there are none, why: no library, no driver, no device).
--json prints one JSON object: {"cpu": {"isaPaths": [...], "chosen": ...}, "cuda": {"built": ...,
"devices": [...], "reason": "..."}, "backend": {"auto": ...}}.`;

/** The machine report `dte doctor` prints. */
export interface DoctorReport {
  cpu: {
    model: string;
    hardwareThreads: number;
    threads: number;
    /** Kernel paths this CPU runs, slowest first. */
    isaPaths: string[];
    chosen: string;
    /** Why `chosen`: forced by DTE_NATIVE_ISA, or the best path this CPU runs. */
    chosenBecause: string;
    features: CpuInfo['features'];
  };
  cuda: CudaProbe;
  backend: { auto: 'cpu' | 'cuda' };
  node: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line !== undefined) return line.split(':').slice(1).join(':').trim();
  } catch {}
  return cpus()[0]?.model ?? 'unknown';
}

/** Builds the report (never throws for a missing CUDA library, driver or device). */
export function doctorReport(env: NodeJS.ProcessEnv = process.env): DoctorReport {
  const info = cpuInfo();
  const forced = forcedIsa(env);
  return {
    cpu: {
      model: cpuModel(),
      hardwareThreads: info.hardwareThreads,
      threads: info.threads,
      isaPaths: [...info.available],
      chosen: info.isa,
      chosenBecause: forced !== undefined ? `DTE_NATIVE_ISA=${forced}` : 'the best path this CPU runs',
      features: info.features,
    },
    cuda: cudaInfo(env),
    backend: { auto: resolveBackend('auto', env) },
    node: process.version,
  };
}

function gib(n: number): string {
  return `${(n / 2 ** 30).toFixed(1)} GiB`;
}

function formatText(r: DoctorReport): string {
  const features = Object.entries(r.cpu.features)
    .filter(([, on]) => on)
    .map(([k]) => k)
    .join(' ');
  const lines = [
    'cpu',
    `  model        ${r.cpu.model} (${r.cpu.hardwareThreads} hardware threads, ${r.cpu.threads} in the kernel pool)`,
    `  isa paths    ${r.cpu.isaPaths.join(', ')}`,
    `  chosen       ${r.cpu.chosen} (${r.cpu.chosenBecause})`,
    `  features     ${features || '(none)'}`,
    'cuda',
    `  library      ${r.cuda.built ? 'built' : 'not built'}: ${r.cuda.library}`,
  ];
  if (r.cuda.devices.length === 0) lines.push(`  devices      none: ${r.cuda.reason}`);
  for (const d of r.cuda.devices) {
    lines.push(
      `  device ${d.index}     ${d.name}, compute ${d.computeCapability}, ${d.smCount} SMs, ` +
        `${gib(d.freeMemory)} free of ${gib(d.totalMemory)}` +
        (d.peakBandwidth > 0 ? `, ${(d.peakBandwidth / 1e9).toFixed(0)} GB/s peak` : ''),
    );
  }
  lines.push('backend', `  auto         ${r.backend.auto}`, `node           ${r.node}`);
  return `${lines.join('\n')}\n`;
}

/** `dte doctor`: what this machine can run (CPU kernel paths, CUDA). */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'what this machine can run: CPU kernel paths, CUDA library and devices',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { json: { type: 'boolean', default: false } }, usage);
    if (positionals.length > 0) throw new CliError('DTE_ERR_CLI_USAGE', `dte doctor takes no arguments\n${usage}`);
    const report = doctorReport();
    io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatText(report));
    return 0;
  },
};
