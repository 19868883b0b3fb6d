import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DteError } from '@dte/echo-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { executeNotebooks, hasJupyter, notebookResult } from './executeNotebooks.ts';
import { NOTEBOOKS_ERRORS, NotebooksError, notebooksError } from './NotebooksError.ts';

const dir = mkdtempSync(join(tmpdir(), 'dte-nb-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('notebooks error registry', () => {
  it('has every key equal to its code', () => {
    for (const [key, spec] of Object.entries(NOTEBOOKS_ERRORS)) expect(spec.code).toBe(key);
  });

  it('builds typed errors from the registry', () => {
    const e = notebooksError('DTE_ERR_NOTEBOOKS_NO_RESULT', '1-quickstart');
    expect(e).toBeInstanceOf(NotebooksError);
    expect(e).toBeInstanceOf(DteError);
    expect(e.name).toBe('NotebooksError');
    expect(e.message).toBe('notebook 1-quickstart printed no RESULT line');
  });

  it('notebookResult without a RESULT line throws DTE_ERR_NOTEBOOKS_NO_RESULT; with one, returns it', () => {
    const nb = (text: string) => ({
      name: 'x',
      path: 'x.ipynb',
      cells: [{ source: '', outputs: [{ output_type: 'stream', name: 'stdout', text }] }],
    });
    expect(() => notebookResult(nb('hello\n'))).toThrow(
      expect.objectContaining({ code: 'DTE_ERR_NOTEBOOKS_NO_RESULT', name: 'NotebooksError' }),
    );
    expect(notebookResult(nb('RESULT {"a":1}\n'))).toEqual({ a: 1 });
  });

  it.skipIf(!hasJupyter())('a failing cell throws DTE_ERR_NOTEBOOKS_EXECUTION_FAILED with the report', () => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
        language_info: { name: 'typescript' },
      },
      cells: [
        {
          cell_type: 'code',
          id: 'c1',
          metadata: {},
          source: "throw new Error('deliberately broken cell');",
          outputs: [],
          execution_count: null,
        },
      ],
    };
    writeFileSync(join(dir, 'broken-cell.ipynb'), JSON.stringify(notebook));
    let err: unknown;
    try {
      executeNotebooks(['broken-cell'], 120, dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotebooksError);
    expect((err as NotebooksError).code).toBe('DTE_ERR_NOTEBOOKS_EXECUTION_FAILED');
    expect((err as NotebooksError).message).toContain('broken-cell.ipynb');
    expect((err as NotebooksError).message).toContain('deliberately broken cell');
  });
});
