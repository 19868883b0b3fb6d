import type { MembraneTree } from './membraneTree.ts';

/** Label of membrane i in the kernel's P system. */
export function membraneLabel(i: number): string {
  return `m${i}`;
}

/**
 * The kernel's default P-Lingua program for a membrane tree: sensory quanta `s`
 * injected into the leaves climb one membrane per tick, leaving one activation
 * object `a` in each membrane they cross; activation halves every tick.
 * `extraRules` (P-Lingua rule statements) are appended inside `main`.
 *
 * @example
 * ```ts
 * membraneProgram(membraneTree(3, 0)); // "@model<transition> def main() { @mu = [[[]'m2]'m1]'m0; …"
 * ```
 */
export function membraneProgram(tree: MembraneTree, extraRules = ''): string {
  const mu = (i: number): string => `[${tree.children[i]!.map(mu).join(' ')}]'${membraneLabel(i)}`;
  const rules: string[] = [];
  tree.parents.forEach((p, i) => {
    const h = membraneLabel(i);
    rules.push(p < 0 ? `  [s --> a]'${h};` : `  [s --> a, (s, out)]'${h};`);
    rules.push(`  [a*2 --> a]'${h};`);
  });
  return ['@model<transition>', 'def main() {', `  @mu = ${mu(0)};`, ...rules, extraRules, '}', ''].join('\n');
}
