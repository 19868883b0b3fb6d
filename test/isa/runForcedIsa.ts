/**
 * Runs the native and model suites once per ISA path this CPU supports, each with the path forced by
 * `DTE_NATIVE_ISA` (so every test in them — not only those that loop over paths — runs on it).
 * `npm run test:isa [-- --paths generic,avx2]`; `.ci/run` calls it after `npm test`. Prints a table,
 * then one line per path in the summary reporter's form, and exits non-zero if any path fails.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { cpuInfo } from '@dte/native';
import { REPO_ROOT } from '../support/shared.ts';

/** The suites whose results depend on the kernel path. */
export const ISA_SUITES = [
  'native/test',
  'engine-core/src/model',
  'engine-core/src/synth',
  'engine-core/src/engine',
  'packages/trainer/src/ops',
];

const { values } = parseArgs({ options: { paths: { type: 'string' } } });
const available = cpuInfo().available;
const paths = values.paths ? values.paths.split(',').map((p) => p.trim()) : available;
for (const p of paths) {
  if (!(available as string[]).includes(p)) {
    console.error(`test:isa: this CPU cannot run the ${p} path (it runs ${available.join(', ')})`);
    process.exit(2);
  }
}

const rows: { path: string; summary: string; status: number; seconds: number }[] = [];
for (const path of paths) {
  console.log(`\n== DTE_NATIVE_ISA=${path}: ${ISA_SUITES.join(' ')}`);
  const t0 = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      `${REPO_ROOT}/node_modules/vitest/vitest.mjs`,
      'run',
      '--config',
      'test/vitest.config.ts',
      '--reporter',
      'dot',
      '--reporter',
      './test/support/summaryReporter.ts',
      ...ISA_SUITES,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, DTE_NATIVE_ISA: path }, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const out = `${run.stdout}${run.stderr}`;
  process.stdout.write(out.split('\n').slice(-60).join('\n'));
  const summary = out.match(/tests: \d+ passed, \d+ failed, \d+ skipped/g)?.at(-1) ?? 'no summary (the run crashed)';
  rows.push({ path, summary, status: run.status ?? 1, seconds: (performance.now() - t0) / 1000 });
}

console.log('\n| forced path | result | seconds |');
console.log('| --- | --- | --- |');
for (const r of rows) console.log(`| ${r.path} | ${r.summary} | ${r.seconds.toFixed(1)} |`);
for (const r of rows) console.log(`isa ${r.path}: ${r.summary}`);
process.exit(rows.every((r) => r.status === 0) ? 0 : 1);
