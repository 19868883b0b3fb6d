import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/shared.ts';

describe('workspace layout', () => {
  it('has exactly the fixed top level (dotfiles aside)', () => {
    const entries = readdirSync(REPO_ROOT)
      .filter((e) => !e.startsWith('.') && e !== 'node_modules' && e !== 'package-lock.json')
      .sort();
    expect(entries).toEqual(
      [
        'README.md',
        'arena',
        'echo-systems',
        'engine-core',
        'native',
        'package.json',
        'packages',
        'test',
        'tsconfig.json',
      ].sort(),
    );
  });

  /**
   * The rule: every workspace's package.json names exactly one entry point — its barrel — as the
   * "." export (and as `types`). Library workspaces keep the barrel at `./src/index.ts`; the test kit
   * (`test/support`, @dte/testkit) is not a library and keeps its barrel at `./index.ts`.
   */
  it('every workspace has one barrel and an exports map', () => {
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const dirs = expandWorkspaces(root.workspaces);
    expect(dirs).toContain('test/support');
    expect(dirs).toContain('echo-systems/aar');
    expect(dirs.length).toBeGreaterThan(root.workspaces.length);
    for (const dir of dirs) {
      const pkgPath = join(REPO_ROOT, dir, 'package.json');
      expect(existsSync(pkgPath), `${dir} has a package.json`).toBe(true);
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: unknown; types?: unknown };
      const barrel = dir === 'test/support' ? './index.ts' : './src/index.ts';
      expect(pkg.exports, `${dir}: exports map with the one barrel`).toEqual({ '.': barrel });
      expect(pkg.types, `${dir}: types point at the barrel`).toBe(barrel);
      expect(existsSync(join(REPO_ROOT, dir, barrel)), `${dir}: ${barrel} exists`).toBe(true);
    }
  });
});

/** The workspace folders named by the root `workspaces` globs (a trailing `/*` is every subfolder with a package.json). */
function expandWorkspaces(globs: string[]): string[] {
  const dirs: string[] = [];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const parent = glob.slice(0, -2);
      expect(parent.includes('*'), `unsupported workspace glob ${glob}`).toBe(false);
      for (const e of readdirSync(join(REPO_ROOT, parent), { withFileTypes: true })) {
        if (e.isDirectory() && existsSync(join(REPO_ROOT, parent, e.name, 'package.json')))
          dirs.push(`${parent}/${e.name}`);
      }
    } else {
      expect(glob.includes('*'), `unsupported workspace glob ${glob}`).toBe(false);
      dirs.push(glob);
    }
  }
  return dirs.sort();
}
