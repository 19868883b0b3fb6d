// Lists the C++ sources for binding.gyp so new kernel files need no gyp edit.
// `node scripts/list-sources.cjs generic` → every src/**/*.cc outside arch/ folders (portable flags);
// `node scripts/list-sources.cjs avx2`    → src/**/arch/avx2/*.cc (built with -mavx2 -mfma -mf16c,
// called only after a run-time CPU check); `amx` → src/**/arch/amx/*.cc (AVX-512 + AMX flags, likewise).
const fs = require('node:fs');
const path = require('node:path');
const which = process.argv[2] ?? 'generic';
const out = [];
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.cc') || e.name.endsWith('.cpp')) out.push(p.split(path.sep).join('/'));
  }
}
walk(path.join(__dirname, '..', 'src'));
const rel = out.map((p) => path.relative(path.join(__dirname, '..'), p).split(path.sep).join('/')).sort();
const isArch = (p, isa) => p.includes(`/arch/${isa}/`);
const picked = which === 'generic' ? rel.filter((p) => !p.includes('/arch/')) : rel.filter((p) => isArch(p, which));
process.stdout.write(picked.join(' '));
