// `npm run test:notebooks` executes every notebook through this file's vitest suite; this script is the
// plain command-line equivalent for notebook authors: `npx tsx packages/notebooks/scripts/executeAll.ts [prefix…]`.
import { EXECUTED_DIR, executeNotebooks, hasJupyter } from '../src/executeNotebooks.ts';

if (!hasJupyter()) {
  console.error(
    'Jupyter is missing: apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel',
  );
  process.exit(1);
}
const names = process.argv.slice(2);
for (const nb of executeNotebooks(names.length ? names : undefined)) console.log(`ok  ${nb.name}  → ${nb.path}`);
console.log(`executed notebooks are in ${EXECUTED_DIR}`);
