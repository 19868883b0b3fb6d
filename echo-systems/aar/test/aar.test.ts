import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import {
  type AgentMind,
  aarMachine,
  actionIdsOf,
  type Decision,
  type Deliberation,
  ForagingAdapter,
  type Percept,
  ReflexMind,
  reflexAction,
  runAar,
  type SenseResult,
  type StepClock,
} from '../src/index.ts';

/** Reflex minds: the reflex alone, from the percept each is given (no back-channel into the arena). */
function reflexMinds(adapter: ForagingAdapter) {
  const ids = actionIdsOf(adapter.actionNames);
  return Object.fromEntries(
    adapter.agentIds.map((id) => [
      id,
      new ReflexMind(id, (p) => reflexAction(p, ids, { front: p.front === 'hazard', here: p.here === 'hazard' })),
    ]),
  );
}

/** A mind that deliberates every tick with a given latency and answer (the slow path under test). */
class SlowMind implements AgentMind {
  readonly decisions: Decision[] = [];
  constructor(
    readonly agentId: string,
    private readonly latencyMs: number,
    private readonly answer: (p: Percept) => number | Error,
  ) {}
  sense(p: Percept): SenseResult {
    // Reflex: the first legal action that is not "stay", else stay.
    const reflex = [1, 2, 3].find((a) => p.actionMask[a] === 1) ?? 0;
    return { surprise: 0, urgency: 0.5, reflex, focus: [], memories: [], deliberation: 'due' };
  }
  wantsToDeliberate(): boolean {
    return true;
  }
  async deliberate(p: Percept, _s: SenseResult, signal: AbortSignal): Promise<Deliberation> {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, this.latencyMs);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new Error('aborted'));
      });
    });
    const a = this.answer(p);
    if (a instanceof Error) throw a;
    return { action: a, thought: `I choose ${a}` };
  }
  remember(d: Decision): void {
    this.decisions.push(d);
  }
}

describe('aarMachine', () => {
  it('runs reflex agents in lockstep to maxTicks, reproducibly from the seed', async () => {
    const run = async () => {
      const adapter = new ForagingAdapter({ numAgents: 4 });
      const res = await runAar({ adapter, minds: reflexMinds(adapter), seed: 3, maxTicks: 40, clock: 'lockstep' });
      return { res, state: adapter.statuses() };
    };
    const a = await run();
    const b = await run();
    expect(a.res.ticks).toBe(40);
    expect(a.res.records).toHaveLength(40);
    expect(JSON.stringify(b.res.records.map((r) => r.decisions))).toBe(
      JSON.stringify(a.res.records.map((r) => r.decisions)),
    );
    expect(b.state).toEqual(a.state);
    for (const r of a.res.records) for (const d of Object.values(r.decisions)) expect(d.source).toBe('reflex');
  });

  it('lockstep waits for slow thoughts; every decided action is legal', async () => {
    const adapter = new ForagingAdapter({ numAgents: 2 });
    const minds = Object.fromEntries(adapter.agentIds.map((id) => [id, new SlowMind(id, 5, () => 2)]));
    const res = await runAar({ adapter, minds, seed: 1, maxTicks: 5, clock: 'lockstep' });
    expect(res.ticks).toBe(5);
    for (const r of res.records)
      for (const d of Object.values(r.decisions)) expect(d).toMatchObject({ source: 'thought', action: 2 });
  });

  it('realtime: a thought that misses the deadline falls back to the reflex and is aborted', async () => {
    const adapter = new ForagingAdapter({ numAgents: 2 });
    const minds = Object.fromEntries(adapter.agentIds.map((id) => [id, new SlowMind(id, 10_000, () => 2)]));
    const t0 = performance.now();
    const res = await runAar({ adapter, minds, seed: 1, maxTicks: 3, clock: 'realtime', tickMs: 30 });
    expect(performance.now() - t0).toBeLessThan(5_000);
    for (const r of res.records) for (const d of Object.values(r.decisions)) expect(d.source).toBe('reflex-late');
  });

  it('a failed or illegal thought falls back to the reflex, never an illegal action', async () => {
    const adapter = new ForagingAdapter({ numAgents: 2 });
    const minds = {
      agent_0: new SlowMind('agent_0', 1, () => new Error('engine down')),
      agent_1: new SlowMind('agent_1', 1, () => 99),
    };
    const res = await runAar({ adapter, minds, seed: 2, maxTicks: 4, clock: 'lockstep' });
    for (const r of res.records) {
      expect(r.decisions.agent_0?.source).toBe('reflex-error');
      expect(r.decisions.agent_1?.source).toBe('reflex-error');
      for (const [id, d] of Object.entries(r.decisions)) expect(d.action).toBe(r.senses[id]?.reflex);
    }
  });

  it('paced: a tick lasts so many engine steps; what is not answered by then falls back and is aborted', async () => {
    // A step clock driven by the test: each afterSteps(n) resolves when the test has counted n steps.
    let steps = 0;
    const waiting: Array<{ at: number; resolve: () => void }> = [];
    const clock: StepClock = {
      afterSteps: (n) => new Promise((resolve) => waiting.push({ at: steps + n, resolve })),
    };
    const tickOnce = () => {
      steps++;
      for (const w of waiting.splice(0))
        if (w.at <= steps) w.resolve();
        else waiting.push(w);
    };
    const adapter = new ForagingAdapter({ numAgents: 2 });
    // agent_0 answers after 1 step of the clock, agent_1 never does.
    const stepped = (after: number) =>
      new (class extends SlowMind {
        override async deliberate(_p: Percept, _s: SenseResult, signal: AbortSignal): Promise<Deliberation> {
          await new Promise<void>((resolve, reject) => {
            if (after >= 0) clock.afterSteps(after).then(resolve);
            signal.addEventListener('abort', () => reject(new Error('aborted')));
          });
          return { action: 2, thought: 'turned' };
        }
      })(after === 1 ? 'agent_0' : 'agent_1', 0, () => 2);
    const minds = { agent_0: stepped(1), agent_1: stepped(-1) };
    const timer = setInterval(tickOnce, 1);
    const res = await runAar({
      adapter,
      minds,
      seed: 1,
      maxTicks: 3,
      clock: 'paced',
      pace: { engine: clock, stepsPerTick: 3 },
    });
    clearInterval(timer);
    for (const r of res.records) {
      expect(r.decisions.agent_0).toMatchObject({ source: 'thought', action: 2 });
      expect(r.decisions.agent_1?.source).toBe('reflex-late');
    }
  });

  it('ticks every mind’s attention once per tick, before any agent senses', async () => {
    const log: string[] = [];
    class Logged extends ReflexMind {
      attend(tick: number): void {
        log.push(`attend ${this.agentId} ${tick}`);
      }
      override sense(p: Percept): SenseResult {
        log.push(`sense ${this.agentId} ${p.tick}`);
        return super.sense(p);
      }
    }
    const adapter = new ForagingAdapter({ numAgents: 2 });
    const minds = { agent_0: new Logged('agent_0', () => 0), agent_1: new Logged('agent_1', () => 0) };
    await runAar({ adapter, minds, seed: 1, maxTicks: 2, clock: 'lockstep' });
    expect(log).toEqual([
      'attend agent_0 0',
      'attend agent_1 0',
      'sense agent_0 0',
      'sense agent_1 0',
      'attend agent_0 1',
      'attend agent_1 1',
      'sense agent_0 1',
      'sense agent_1 1',
    ]);
  });

  it('a mind whose sensing throws takes a safe, legal action (reflex-error) and the run goes on', async () => {
    const adapter = new ForagingAdapter({ numAgents: 2 });
    class Broken extends ReflexMind {
      override sense(): SenseResult {
        throw new Error('broken sensor');
      }
    }
    const minds = { agent_0: new Broken('agent_0', () => 1), agent_1: reflexMinds(adapter).agent_1! };
    const res = await runAar({ adapter, minds, seed: 1, maxTicks: 3, clock: 'lockstep' });
    expect(res.ticks).toBe(3);
    for (const r of res.records) expect(r.decisions.agent_0).toMatchObject({ source: 'reflex-error', action: 0 });
  });

  it('pauses between ticks, resumes, and stops on request', async () => {
    const adapter = new ForagingAdapter({ numAgents: 2 });
    const minds = Object.fromEntries(adapter.agentIds.map((id) => [id, new SlowMind(id, 2, () => 3)]));
    const actor = createActor(aarMachine, { input: { adapter, minds, seed: 1, maxTicks: 1000, clock: 'lockstep' } });
    actor.start();
    actor.send({ type: 'aar.start' });
    await waitFor(actor, (s) => s.context.tick >= 2);
    actor.send({ type: 'aar.pause' });
    const paused = await waitFor(actor, (s) => s.matches('paused'));
    const tickAtPause = paused.context.tick;
    await new Promise((r) => setTimeout(r, 30));
    expect(actor.getSnapshot().context.tick).toBe(tickAtPause);
    actor.send({ type: 'aar.resume' });
    await waitFor(actor, (s) => s.context.tick >= tickAtPause + 2);
    actor.send({ type: 'aar.stop' });
    expect(actor.getSnapshot().status).toBe('done');
  });
});

describe('stepAar', () => {
  it('runs exactly one tick per call, pausing in between, and returns null after the end', async () => {
    const adapter = new ForagingAdapter({ numAgents: 2 });
    const actor = createActor(aarMachine, {
      input: { adapter, minds: reflexMinds(adapter), seed: 4, maxTicks: 3, clock: 'lockstep' },
    }).start();
    const { stepAar } = await import('../src/index.ts');
    const r0 = await stepAar(actor);
    expect(r0?.tick).toBe(0);
    expect(actor.getSnapshot().matches('paused')).toBe(true);
    expect((await stepAar(actor))?.tick).toBe(1);
    expect((await stepAar(actor))?.tick).toBe(2);
    expect(actor.getSnapshot().status).toBe('done');
    expect(await stepAar(actor)).toBeNull();
  });
});

describe('selectAgentStreams', () => {
  it('streams each agent’s percepts, decisions and body vectors tick by tick', async () => {
    const { selectAgentStreams } = await import('../src/index.ts');
    const adapter = new ForagingAdapter({ numAgents: 2 });
    const actor = createActor(aarMachine, {
      input: { adapter, minds: reflexMinds(adapter), seed: 6, maxTicks: 5, clock: 'lockstep' },
    });
    const { sensor$, motor$, proprio$ } = selectAgentStreams(actor, 'agent_1');
    const ticks: number[] = [];
    const actions: number[] = [];
    const energies: number[] = [];
    sensor$.subscribe((p) => ticks.push(p.tick));
    motor$.subscribe((d) => actions.push(d.action));
    proprio$.subscribe((v) => energies.push(v[0]!));
    actor.start();
    actor.send({ type: 'aar.start' });
    await waitFor(actor, (s) => s.status === 'done');
    expect(ticks).toEqual([1, 2, 3, 4, 5]);
    expect(actions).toHaveLength(5);
    expect(energies).toHaveLength(5);
    expect(energies.every((e) => e >= 0 && e <= 1)).toBe(true);
  });
});
