import { dtesnError } from '../DtesnError.ts';

/** A CNF formula: clauses of non-zero literals (+j is x_j, −j is ¬x_j), variables 1..numVars. */
export interface Cnf {
  numVars: number;
  clauses: number[][];
}

/**
 * Writes a P-Lingua model (active membranes, elementary division, polarizations)
 * that decides a CNF formula in a linear number of steps (3n + 2m + 2 for n
 * variables and m clauses): the skin sends `yes` or `no` to the environment.
 *
 * Generation (3 steps per variable k): `0[v{k}]'2` divides into `+`/`−` copies;
 * in the charged step literal objects `t`/`f{i,c,d}` count down c, and when c = 1
 * they become `r{i,d}` (clause i satisfied) or vanish; the charge resets by a
 * send-out and `u{k}` comes back in as `v{k+1}`. `r{i,d}` count d down to 0 on
 * the remaining charged steps, so every clause marker is ready at the same time.
 * Checking (2 steps per clause): a neutral membrane sends one `r{1,0}` out
 * (turning `+`), then shifts `r{i,0}` to `r{i−1,0}`, counts `c` and takes `q` back
 * in (turning `0`). After m checks `c{n+m}` leaves as `yes`; the skin's clock
 * `g` emits `no` one step after the last possible `yes`.
 *
 * @example
 * ```ts
 * const text = satModel({ numVars: 2, clauses: [[1, -2], [2]] });
 * ```
 */
export function satModel(cnf: Cnf): string {
  const n = cnf.numVars;
  const m = cnf.clauses.length;
  if (!Number.isInteger(n) || n < 1 || m < 1) {
    throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'satModel', 'need at least one variable and one clause');
  }
  const init: string[] = ['v{1}', 'c{0}'];
  cnf.clauses.forEach((clause, ci) => {
    for (const lit of clause) {
      const j = Math.abs(lit);
      if (!Number.isInteger(lit) || lit === 0 || j > n) {
        throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'satModel', `bad literal ${lit}`);
      }
      init.push(`${lit > 0 ? 't' : 'f'}{${ci + 1},${j},${n - j}}`);
    }
  });
  const stop = 3 * n + 2 * m + 2;
  const lines = [
    '@model<membrane_division>',
    'def main() {',
    "  @mu = [[]'2]'1;",
    `  @ms(2) = ${init.join(', ')};`,
    '  @ms(1) = g{1};',
    '  /* generation */',
    `  [v{k}]'2 --> +[w{k}]'2 -[w{k}]'2 : 1 <= k <= ${n};`,
    `  +[w{k}]'2 --> []'2 u{k} : 1 <= k <= ${n};`,
    `  -[w{k}]'2 --> []'2 u{k} : 1 <= k <= ${n};`,
    ...(n > 1 ? [`  u{k} []'2 --> [v{k+1}]'2 : 1 <= k <= ${n - 1};`] : []),
    `  +[t{i,c,d} --> t{i,c-1,d}]'2 : 1 <= i <= ${m}, 2 <= c <= ${n}, 0 <= d <= ${n - 1};`,
    `  -[t{i,c,d} --> t{i,c-1,d}]'2 : 1 <= i <= ${m}, 2 <= c <= ${n}, 0 <= d <= ${n - 1};`,
    `  +[f{i,c,d} --> f{i,c-1,d}]'2 : 1 <= i <= ${m}, 2 <= c <= ${n}, 0 <= d <= ${n - 1};`,
    `  -[f{i,c,d} --> f{i,c-1,d}]'2 : 1 <= i <= ${m}, 2 <= c <= ${n}, 0 <= d <= ${n - 1};`,
    `  +[t{i,1,d} --> r{i,d}]'2 : 1 <= i <= ${m}, 0 <= d <= ${n - 1};`,
    `  -[t{i,1,d} --> #]'2 : 1 <= i <= ${m}, 0 <= d <= ${n - 1};`,
    `  -[f{i,1,d} --> r{i,d}]'2 : 1 <= i <= ${m}, 0 <= d <= ${n - 1};`,
    `  +[f{i,1,d} --> #]'2 : 1 <= i <= ${m}, 0 <= d <= ${n - 1};`,
    ...(n > 1
      ? [
          `  +[r{i,d} --> r{i,d-1}]'2 : 1 <= i <= ${m}, 1 <= d <= ${n - 1};`,
          `  -[r{i,d} --> r{i,d-1}]'2 : 1 <= i <= ${m}, 1 <= d <= ${n - 1};`,
        ]
      : []),
    `  +[c{k} --> c{k+1}]'2 : 0 <= k <= ${n + m - 1};`,
    `  -[c{k} --> c{k+1}]'2 : 0 <= k <= ${n - 1};`,
    '  /* checking */',
    "  [r{1,0}]'2 --> +[]'2 q;",
    ...(m > 1 ? [`  +[r{i,0} --> r{i-1,0}]'2 : 2 <= i <= ${m};`] : []),
    "  +[r{1,0} --> #]'2;",
    "  q +[]'2 --> [p]'2;",
    `  [c{${n + m}}]'2 --> +[]'2 yes;`,
    '  /* answer */',
    `  [g{k} --> g{k+1}]'1 : 1 <= k <= ${stop - 1};`,
    "  [yes]'1 --> +[]'1 yes;",
    `  [g{${stop}}]'1 --> -[]'1 no;`,
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** Brute-force satisfiability, for checking. */
export function isSatisfiable(cnf: Cnf): boolean {
  for (let mask = 0; mask < 1 << cnf.numVars; mask++) {
    const ok = cnf.clauses.every((cl) => cl.some((lit) => ((mask >> (Math.abs(lit) - 1)) & 1) === (lit > 0 ? 1 : 0)));
    if (ok) return true;
  }
  return false;
}
