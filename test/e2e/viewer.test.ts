import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/shared.ts';

const CHROMIUM = process.env.DTE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`[skip] ${CHROMIUM} is absent: the browser test is skipped (CI installs Debian's chromium).`);

/** Starts `dte run --viewer` as a real child process and resolves with the viewer URL it prints. */
function startRun(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/dte.js'), 'run', '--viewer', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no viewer URL within 60 s; stderr:\n${err}`)), 60_000);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /viewer: (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.on('exit', (code) => reject(new Error(`dte run exited with ${code}:\n${err}`)));
  });
}

describe.skipIf(!hasChromium)('live viewer in a real browser (Debian chromium + playwright-core)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('loads, frames advance, and the canvas is not blank', async () => {
    const run = await startRun(['--agents', '8', '--ticks', '400', '--clock', 'realtime', '--tick-ms', '40']);
    child = run.child;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(run.url);
      await page.waitForFunction(() => Number(document.body.dataset.frames ?? 0) >= 3, undefined, { timeout: 30_000 });
      const t1 = Number(await page.evaluate(() => document.body.dataset.tick));
      await page.waitForFunction((t) => Number(document.body.dataset.tick) > t + 2, t1, { timeout: 30_000 });
      const rows = await page.locator('#agents tr').count();
      expect(rows).toBe(8);
      const distinctColours = await page.evaluate(() => {
        const c = document.getElementById('world') as HTMLCanvasElement;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
        return seen.size;
      });
      expect(distinctColours).toBeGreaterThanOrEqual(5);
      const png = await page.screenshot();
      expect(png.length).toBeGreaterThan(5_000);
    } finally {
      await browser.close();
    }
  });
});
