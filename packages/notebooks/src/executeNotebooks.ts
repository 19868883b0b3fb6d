import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { notebooksError } from './NotebooksError.ts';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = resolve(PACKAGE_DIR, '..', '..');

/** Where the notebooks live and where executed copies and the kernel spec go. */
export const NOTEBOOKS_DIR = join(PACKAGE_DIR, 'notebooks');
export const JUPYTER_PREFIX = join(REPO_ROOT, 'node_modules', '.cache', 'dte-jupyter');
export const EXECUTED_DIR = join(JUPYTER_PREFIX, 'executed');

/** Debian's Jupyter (python3-nbclient, jupyter-nbconvert) lives with the system python. */
export const SYSTEM_PYTHON = process.env.DTE_JUPYTER_PYTHON ?? '/usr/bin/python3';

/** True when Jupyter's nbconvert and nbclient can run here. */
export function hasJupyter(): boolean {
  if (!existsSync(SYSTEM_PYTHON)) return false;
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import nbconvert, nbclient, jupyter_client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs the tslab kernel spec into the project's own prefix (`tslab install --prefix`), starting
 * `scripts/tslab-kernel` (tslab with tsx preloaded), so nothing outside the checkout changes.
 */
export function installTslabKernel(): string {
  const tslab = join(REPO_ROOT, 'node_modules', '.bin', 'tslab');
  const kernel = join(PACKAGE_DIR, 'scripts', 'tslab-kernel');
  execFileSync(tslab, ['install', `--python=${SYSTEM_PYTHON}`, `--binary=${kernel}`, `--prefix=${JUPYTER_PREFIX}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return join(JUPYTER_PREFIX, 'share', 'jupyter');
}

/** Runs one notebook through nbconvert; a failing cell becomes an error carrying Jupyter's own report. */
function runNbconvert(dir: string, file: string, jupyterPath: string, timeoutS: number): void {
  try {
    execFileSync(
      SYSTEM_PYTHON,
      [
        '-m',
        'nbconvert',
        '--to',
        'notebook',
        '--execute',
        `--ExecutePreprocessor.timeout=${timeoutS}`,
        '--ExecutePreprocessor.kernel_name=tslab',
        '--output-dir',
        EXECUTED_DIR,
        join(dir, file),
      ],
      {
        cwd: dir,
        env: { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '');
    const report = stderr.slice(
      stderr.indexOf('nbclient.exceptions') >= 0 ? stderr.indexOf('nbclient.exceptions') - 2000 : -4000,
    );
    throw notebooksError('DTE_ERR_NOTEBOOKS_EXECUTION_FAILED', file, report);
  }
}

/** A notebook cell's outputs, as nbformat stores them. */
export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
}

/** An executed notebook's code cells and their outputs. */
export interface ExecutedNotebook {
  name: string;
  path: string;
  cells: Array<{ source: string; outputs: NotebookOutput[] }>;
}

/**
 * Executes notebooks headless with `jupyter nbconvert --execute` on the tslab kernel; any cell error
 * fails (nbconvert exits non-zero). Returns the executed notebooks for checking. `dir` is where the
 * notebooks are (default: the project's `notebooks/`).
 * @throws NotebooksError `DTE_ERR_NOTEBOOKS_EXECUTION_FAILED` with Jupyter's report.
 */
export function executeNotebooks(names?: string[], timeoutS = 600, dir = NOTEBOOKS_DIR): ExecutedNotebook[] {
  const jupyterPath = installTslabKernel();
  mkdirSync(EXECUTED_DIR, { recursive: true });
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && (!names || names.some((n) => f.startsWith(n))))
    .sort();
  return files.map((file) => {
    runNbconvert(dir, file, jupyterPath, timeoutS);
    const path = join(EXECUTED_DIR, file);
    const nb = JSON.parse(readFileSync(path, 'utf8')) as {
      cells: Array<{ cell_type: string; source: string | string[]; outputs?: NotebookOutput[] }>;
    };
    return {
      name: file.replace(/\.ipynb$/, ''),
      path,
      cells: nb.cells
        .filter((c) => c.cell_type === 'code')
        .map((c) => ({ source: Array.isArray(c.source) ? c.source.join('') : c.source, outputs: c.outputs ?? [] })),
    };
  });
}

/** Every text a notebook printed (stdout streams and text/plain results), in order. */
export function notebookText(nb: ExecutedNotebook): string {
  const parts: string[] = [];
  for (const cell of nb.cells) {
    for (const o of cell.outputs) {
      if (o.text !== undefined) parts.push(Array.isArray(o.text) ? o.text.join('') : o.text);
      const plain = o.data?.['text/plain'];
      if (plain !== undefined) parts.push(Array.isArray(plain) ? plain.join('') : String(plain));
    }
  }
  return parts.join('');
}

/** Counts rich outputs of a MIME type (e.g. 'image/svg+xml', 'image/png'). */
export function countOutputs(nb: ExecutedNotebook, mime: string): number {
  return nb.cells.reduce((n, c) => n + c.outputs.filter((o) => o.data?.[mime] !== undefined).length, 0);
}

/** The JSON object a notebook printed on a line starting with `RESULT ` (its claims, checked by tests). */
export function notebookResult(nb: ExecutedNotebook): Record<string, unknown> {
  const line = notebookText(nb)
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('RESULT '));
  if (!line) throw notebooksError('DTE_ERR_NOTEBOOKS_NO_RESULT', nb.name);
  return JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
}
