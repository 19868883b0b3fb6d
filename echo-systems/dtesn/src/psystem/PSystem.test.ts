import { createPrng } from '@dte/echo-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PSystem } from './PSystem.ts';
import { parsePLingua } from './parsePLingua.ts';
import { type Cnf, isSatisfiable, satModel } from './satModel.ts';

// Păun, "Membrane Computing: An Introduction", the P system generating n².
const SQUARES = `@model<transition>
def main() {
  @mu = [[[]'3]'2 []'4]'1;
  @ms(3) = a, f;
  [a --> a, b]'3;
  [a --> b, @d]'3;
  [f --> f*2]'3;
  [b --> d]'2;
  [d --> d, e]'2;
  [f*2 --> f]'2 @priority(1);
  [f --> @d]'2;
  [e --> [e]'4]'1;
}`;

describe('PSystem: Păun n² generator', () => {
  it('always halts with n² objects e in membrane 4, for many n', () => {
    const model = parsePLingua(SQUARES);
    const seen = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const ps = new PSystem(model, seed);
      let n = 0;
      while (!ps.halted) {
        ps.step();
        if (n === 0 && ps.find('3').length === 0) n = ps.steps; // membrane 3 dissolved at step n
        expect(ps.steps).toBeLessThan(500);
      }
      const out = ps.find('4')[0]!.objects.get('e') ?? 0;
      expect(out).toBe(n * n);
      expect(ps.membranes().map((m) => m.label)).toEqual(['1', '4']);
      seen.add(n);
    }
    expect(seen.size).toBeGreaterThan(2);
  });

  it('replays the same run for the same seed', () => {
    const model = parsePLingua(SQUARES);
    const a = new PSystem(model, 9);
    const b = new PSystem(model, 9);
    a.run(1000);
    b.run(1000);
    expect(a.steps).toBe(b.steps);
    expect([...a.find('4')[0]!.objects]).toEqual([...b.find('4')[0]!.objects]);
  });
});

/** A random CNF over `numVars` variables: `numClauses` clauses of 1–3 literals. */
function randomCnf(rng: ReturnType<typeof createPrng>, numVars: number, numClauses: number): Cnf {
  const clauses = Array.from({ length: numClauses }, () =>
    Array.from({ length: 1 + rng.nextInt(3) }, () => (1 + rng.nextInt(numVars)) * (rng.next() < 0.5 ? -1 : 1)),
  );
  return { numVars, clauses };
}

/** Every CNF over `numVars` variables with `numClauses` clauses, each clause a non-empty set of literals. */
function allCnfs(numVars: number, numClauses: number): Cnf[] {
  const literals = Array.from({ length: numVars }, (_, i) => [i + 1, -(i + 1)]).flat();
  const clauseSets = Array.from({ length: 2 ** literals.length - 1 }, (_, bits) =>
    literals.filter((_l, i) => ((bits + 1) >> i) & 1),
  );
  let cnfs: number[][][] = [[]];
  for (let c = 0; c < numClauses; c++) cnfs = cnfs.flatMap((cl) => clauseSets.map((s) => [...cl, s]));
  return cnfs.map((clauses) => ({ numVars, clauses }));
}

/**
 * Runs the SAT P system step by step until it halts, then a few steps more, noting the step at which
 * `yes` and `no` first reach the environment and how many of each there are in the end.
 */
function decide(cnf: Cnf, seed: number) {
  const clock = 3 * cnf.numVars + 2 * cnf.clauses.length + 2; // the step at which the skin's clock emits `no`
  const ps = new PSystem(parsePLingua(satModel(cnf)), seed);
  let yesAt: number | undefined;
  let noAt: number | undefined;
  for (let s = 1; s <= clock + 3; s++) {
    ps.step();
    if (yesAt === undefined && ps.environment.has('yes')) yesAt = s;
    if (noAt === undefined && ps.environment.has('no')) noAt = s;
  }
  const count = (o: string) => ps.environment.get(o) ?? 0;
  return { clock, yesAt, noAt, yes: count('yes'), no: count('no'), halted: ps.halted, membranes: ps.find('2').length };
}

/** The decision is brute force's: `yes` once, before the clock's `no` and never followed by it; else `no` once, at the clock. */
function expectDecides(cnf: Cnf, seed: number): boolean {
  const d = decide(cnf, seed);
  const sat = isSatisfiable(cnf);
  const what = JSON.stringify(cnf);
  if (sat) {
    expect(d.yesAt, what).toBeDefined();
    expect(d.yesAt!, what).toBeLessThan(d.clock);
    expect([d.yes, d.no, d.noAt], what).toEqual([1, 0, undefined]);
  } else {
    expect([d.yes, d.yesAt], what).toEqual([0, undefined]);
    expect([d.no, d.noAt], what).toEqual([1, d.clock]);
  }
  expect(d.halted, what).toBe(true);
  // Every assignment got its own membrane.
  expect(d.membranes, what).toBe(2 ** cnf.numVars);
  return sat;
}

describe('PSystem: SAT with active membranes', () => {
  it('decides every formula of up to 3 clauses over 1 variable and up to 2 clauses over 2 variables', () => {
    const cnfs = [1, 2, 3].flatMap((m) => allCnfs(1, m)).concat([1, 2].flatMap((m) => allCnfs(2, m)));
    expect(cnfs).toHaveLength(3 + 9 + 27 + 15 + 225);
    const sat = cnfs.filter((cnf, i) => expectDecides(cnf, i)).length;
    expect(sat).toBeGreaterThan(0);
    expect(sat).toBeLessThan(cnfs.length);
  });

  it('decides random formulas over 1 to 6 variables, satisfiable and not, as brute force does', () => {
    const rng = createPrng(2024);
    for (let n = 1; n <= 6; n++) {
      const seen = { sat: 0, unsat: 0 };
      for (let tries = 0; tries < 200 && (seen.sat < 4 || seen.unsat < 4); tries++) {
        const cnf = randomCnf(rng, n, 1 + rng.nextInt(5 * n));
        const sat = isSatisfiable(cnf);
        if (seen[sat ? 'sat' : 'unsat'] >= 4) continue;
        expect(expectDecides(cnf, tries)).toBe(sat);
        seen[sat ? 'sat' : 'unsat']++;
      }
      expect(seen, `n = ${n}`).toEqual({ sat: 4, unsat: 4 });
    }
    // Every sign pattern over three of six variables: unsatisfiable, with the other three free.
    const cube = Array.from({ length: 8 }, (_, b) => [1, 2, 3].map((v, i) => ((b >> i) & 1 ? v : -v)));
    expect(expectDecides({ numVars: 6, clauses: cube }, 1)).toBe(false);
    expect(expectDecides({ numVars: 6, clauses: cube.slice(1) }, 1)).toBe(true);
  });

  it('answers no for an unsatisfiable formula', () => {
    const cnf = {
      numVars: 2,
      clauses: [
        [1, 2],
        [-1, 2],
        [1, -2],
        [-1, -2],
      ],
    };
    const ps = new PSystem(parsePLingua(satModel(cnf)), 3);
    ps.run(100);
    expect(ps.environment.get('no')).toBe(1);
    expect(ps.environment.has('yes')).toBe(false);
  });
});

describe('parsePLingua', () => {
  it('sends products out and into children with targets', () => {
    const ps = new PSystem(
      parsePLingua(`def main() {
        @mu = [[[]'3]'2]'1;
        @ms(2) = s*3;
        [s --> a, (s, out), (b, c, in 3)]'2;
      }`),
      1,
    );
    ps.step();
    expect(ps.find('1')[0]!.objects.get('s')).toBe(3);
    expect(ps.find('2')[0]!.objects.get('a')).toBe(3);
    expect([...ps.find('3')[0]!.objects]).toEqual([
      ['b', 3],
      ['c', 3],
    ]);
    ps.step();
    expect(ps.halted).toBe(true);
  });

  it('reads structure, multisets with indices and ranges, and rule kinds', () => {
    const model = parsePLingua(`@model<membrane_division>
      def main() {
        @mu = [[]'2 +[]'3]'1;
        @ms(2) = x{1,2}*2, y;
        @ms(2) += z{i} : 1 <= i <= 3;
        [x{i,j} --> x{i,j+1}]'2 : 1 <= i <= 2, i < j <= 3;
        a []'2 --> +[b]'2;
        -[a]'2 --> []'2 b, c;
        [d]'2 --> +[e]'2 -[f]'2;
        [g]'2 --> h;
      }`);
    expect(model.model).toBe('membrane_division');
    expect(model.structure.children.map((c) => [c.label, c.polarization])).toEqual([
      ['2', '0'],
      ['3', '+'],
    ]);
    expect([...model.structure.children[0]!.objects]).toEqual([
      ['x{1,2}', 2],
      ['y', 1],
      ['z{1}', 1],
      ['z{2}', 1],
      ['z{3}', 1],
    ]);
    expect(model.rules.map((r) => r.kind)).toEqual([
      'evolution',
      'evolution',
      'evolution',
      'communication',
      'communication',
      'division',
      'dissolution',
    ]);
    const evo = model.rules[0]!;
    expect(evo.kind === 'evolution' && [...evo.lhs.keys(), ...evo.here.keys()]).toEqual(['x{1,2}', 'x{1,3}']);
  });

  it('runs parameterised modules through call', () => {
    const model = parsePLingua(`@model<membrane_division>
      def gen(n, h) {
        @mu = [[]'2]'1;
        @ms(h) = a*n;
        [a --> b{k}]'h : 1 <= k <= n;
      }
      def main() {
        call gen(1 + 2, 2);
        @ms(2) += c;
      }`);
    expect([...model.structure.children[0]!.objects]).toEqual([
      ['a', 3],
      ['c', 1],
    ]);
    expect(model.rules).toHaveLength(3);
  });

  it('expands rule groups over shared ranges, inner bounds using outer variables', () => {
    const model = parsePLingua(`def main() {
      @mu = [[]'2]'1;
      {
        +[x{i,j} --> y{i,j}]'2 : i <= j <= 2;
        -[x{i} --> #]'2;
      } : 1 <= i <= 2;
    }`);
    const names = model.rules.map((r) => (r.kind === 'evolution' ? `${r.polarization}${[...r.lhs.keys()][0]}` : '?'));
    expect(names).toEqual(['+x{1,1}', '+x{1,2}', '-x{1}', '+x{2,2}', '-x{2}']);
  });

  it.each([
    ["def main() {\n  @mu = [[]'2]'1;\n  [a --> b]'2\n}", 4, 1],
    ["def main() {\n  @mu = [[]'2]'1;\n  [a --> b]'9;\n}", 3, 3],
    ["def main() {\n  @mu = [[]'2]'1;\n  @ms(2) = a $ b;\n}", 3, 14],
    ['def other() {\n}', 2, 2],
    ['def f(n) {}\ndef main() {\n  call f(1, 2);\n}', 3, 8],
    ["def main() {\n  @mu = [[]'2]'1;\n  [a{i} --> b]'2;\n}", 3, 6],
    ["def main() {\n  @mu = [[]'2]'1;\n  @ms(2) = a;\n", 4, 1],
  ])('names line and column of a syntax error (%#)', (src, line, column) => {
    let err: unknown;
    try {
      parsePLingua(src);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'DTE_ERR_DTESN_PLINGUA_SYNTAX', line, column });
  });
});

describe('parsePLingua robustness', () => {
  it('throws only typed errors on arbitrary input', () => {
    const pieces = [
      '[',
      ']',
      "'",
      '2',
      'a',
      '-->',
      '+',
      '-',
      '0',
      ',',
      ';',
      ':',
      '<=',
      'i',
      '{',
      '}',
      '*',
      '#',
      '@mu',
      '@ms',
      '(',
      ')',
      '=',
      'def',
      'main',
      '@d',
      ' ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const src = `def main() { @mu = [[]'2]'1; ${parts.join(' ')} }`;
        try {
          parsePLingua(src);
        } catch (e) {
          expect((e as { code?: string }).code).toBe('DTE_ERR_DTESN_PLINGUA_SYNTAX');
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });
  it('rejects runaway nesting and ranges', () => {
    const deep = `def main() { @mu = ${'['.repeat(2000)}${"]'1".repeat(2000)}; }`;
    expect(() => parsePLingua(deep)).toThrow(expect.objectContaining({ code: 'DTE_ERR_DTESN_PLINGUA_SYNTAX' }));
    const wide = "def main() { @mu = []'1; [a{i} --> b]'1 : 1 <= i <= 1000000000; }";
    expect(() => parsePLingua(wide)).toThrow(expect.objectContaining({ code: 'DTE_ERR_DTESN_PLINGUA_SYNTAX' }));
  });
});
