import { readdirSync, readFileSync } from 'node:fs';
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

  it('every workspace has one barrel and an exports map', () => {
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    expect(root.workspaces.length).toBeGreaterThan(3);
  });
});
