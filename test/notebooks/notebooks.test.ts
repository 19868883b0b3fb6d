import { countOutputs, type ExecutedNotebook, executeNotebooks, hasJupyter, notebookResult } from '@dte/notebooks';
import { beforeAll, describe, expect, it } from 'vitest';

const jupyter = hasJupyter();
if (!jupyter) {
  console.warn(
    '[skip] Jupyter is absent: notebook tests are skipped (CI installs jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel).',
  );
}

/**
 * Executes every notebook headless (Jupyter nbconvert + the tslab TypeScript kernel; any cell error
 * fails) and checks that each notebook's outputs are what its cells claim.
 */
describe.skipIf(!jupyter)('research notebooks (executed headless on the tslab kernel)', () => {
  const byName = new Map<string, ExecutedNotebook>();
  beforeAll(() => {
    for (const nb of executeNotebooks()) byName.set(nb.name.replace(/^\d+-/, ''), nb);
  }, 900_000);

  it('DTESN: Mackey-Glass with a deep reservoir predicts well, plots are present, memory capacity in range', () => {
    const nb = byName.get('dtesn')!;
    expect(countOutputs(nb, 'image/svg+xml')).toBeGreaterThanOrEqual(3);
    const r = notebookResult(nb) as { mg_onestep_nrmse: number; mc_n100: number };
    expect(r.mg_onestep_nrmse).toBeGreaterThan(0);
    expect(r.mg_onestep_nrmse).toBeLessThan(0.02);
    expect(r.mc_n100).toBeGreaterThan(10);
    expect(r.mc_n100).toBeLessThanOrEqual(100);
  });

  it('ECAN: STI is conserved, focus changes, co-stimulated atoms get a Hebbian link, rent drains STI', () => {
    const nb = byName.get('ecan')!;
    expect(countOutputs(nb, 'image/svg+xml')).toBeGreaterThanOrEqual(1);
    expect(countOutputs(nb, 'text/markdown')).toBeGreaterThanOrEqual(3);
    const r = notebookResult(nb) as Record<string, number | boolean>;
    expect(r.berry_river_linked).toBe(true);
    expect(r.max_conservation_drift as number).toBeLessThan(1e-6);
    expect(r.hebbian_links as number).toBeGreaterThan(0);
    expect(r.focus_events as number).toBeGreaterThan(2);
    expect(r.final_berry_sti as number).toBeLessThan(r.peak_berry_sti as number);
  });
});
