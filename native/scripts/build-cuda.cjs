// Builds build/cuda/libdte_cuda.so (the CUDA backend, opened by the addon at run time) where nvcc
// exists; elsewhere prints why it is skipped and succeeds, so machines without CUDA build as before.
//   nvcc: $NVCC, else `nvcc` on PATH, else /usr/local/cuda/bin/nvcc.
//   DTE_CUDA_ARCHS: real architectures, comma-separated (default "90": sm_90 SASS plus compute_90 PTX,
//   which the driver JIT-compiles for newer GPUs). DTE_SKIP_CUDA=1 skips the build.
// The CUDA runtime is linked statically, so the library needs only the driver (libcuda.so.1) at run time.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'build', 'cuda');
const lib = path.join(out, 'libdte_cuda.so');

function findNvcc() {
  const candidates = [process.env.NVCC, 'nvcc', '/usr/local/cuda/bin/nvcc'].filter(Boolean);
  for (const c of candidates) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return c;
    } catch {}
  }
  return undefined;
}

/** Files under `dir` (recursively) whose names match `re`, sorted. */
function filesUnder(dir, re) {
  const list = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (re.test(e.name)) list.push(p);
    }
  };
  walk(dir);
  return list.sort();
}

function cuSources() {
  return filesUnder(path.join(root, 'src'), /\.cu$/);
}

/** True when `file` is newer than every .cu source and every header under src/. */
function upToDate(file, sources) {
  if (!fs.existsSync(file)) return false;
  const built = fs.statSync(file).mtimeMs;
  const inputs = [...sources, ...filesUnder(path.join(root, 'src'), /\.(cuh|h)$/)];
  return inputs.every((p) => fs.statSync(p).mtimeMs < built);
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
    child.on('error', reject);
  });
}

async function main() {
  if (process.env.DTE_SKIP_CUDA === '1') {
    console.log('libdte_cuda.so: skipped (DTE_SKIP_CUDA=1)');
    return;
  }
  const nvcc = findNvcc();
  if (nvcc === undefined) {
    console.log('libdte_cuda.so: skipped (no nvcc: install the CUDA toolkit to build the CUDA backend)');
    return;
  }
  const archs = (process.env.DTE_CUDA_ARCHS ?? '90')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const gencode = archs.flatMap((a) => ['-gencode', `arch=compute_${a},code=[sm_${a},compute_${a}]`]);
  const common = [
    '-O3',
    '-std=c++17',
    '-Xcompiler',
    '-fPIC,-fvisibility=hidden',
    '-I',
    path.join(root, 'src'),
    ...gencode,
  ];
  const objDir = path.join(out, 'obj');
  fs.mkdirSync(objDir, { recursive: true });
  const sources = cuSources();
  if (upToDate(lib, sources)) {
    console.log(`libdte_cuda.so: up to date (${path.relative(root, lib)})`);
    await buildHarness();
    return;
  }
  const objects = sources.map((s) =>
    path.join(objDir, `${path.relative(path.join(root, 'src'), s).replaceAll(path.sep, '_')}.o`),
  );
  const jobs = Math.max(1, Math.min(sources.length, Number(process.env.JOBS) || os.availableParallelism()));
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const i = next++;
      await run(nvcc, [...common, '-c', sources[i], '-o', objects[i]]);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  await run(nvcc, ['-shared', '-cudart', 'static', ...gencode, '-o', lib, ...objects]);
  console.log(
    `libdte_cuda.so: built ${path.relative(root, lib)} for sm_${archs.join(', sm_')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await buildHarness();
}

// The standalone parity harness (test/cuda/parity_harness.cc): plain C++ linked from the addon's own
// CPU objects (the reference), so it runs on a GPU machine that has no Node and no compiler.
async function buildHarness() {
  const release = path.join(root, 'build', 'Release');
  const objRoot = path.join(release, 'obj.target', 'dte_native', 'src');
  if (!fs.existsSync(objRoot)) {
    console.log('dte_cuda_parity: skipped (build the addon first: its CPU objects are the reference)');
    return;
  }
  const objects = ['core', 'kernels', 'backend'].flatMap((sub) => filesUnder(path.join(objRoot, sub), /\.o$/));
  objects.push(path.join(objRoot, 'model', 'llama_model.o'));
  const libs = ['dte_avx2.a', 'dte_amx.a'].map((l) => path.join(release, l));
  const cxx = process.env.CXX || 'g++';
  const exe = path.join(out, 'dte_cuda_parity');
  await run(cxx, [
    '-O2',
    '-std=c++17',
    '-I',
    path.join(root, 'src'),
    '-o',
    exe,
    path.join(root, 'test', 'cuda', 'parity_harness.cc'),
    ...objects,
    ...libs,
    '-static-libstdc++',
    '-static-libgcc',
    '-lpthread',
    '-ldl',
  ]);
  console.log(`dte_cuda_parity: built ${path.relative(root, exe)}`);
}

main().catch((err) => {
  console.error(`libdte_cuda.so: build failed: ${err.message}`);
  process.exit(1);
});
