import { priorityOf } from '@dte/aar';
import { buildApp, loadServedModel, type ServedModel } from '@dte/server';
import { hasSharedModel, sharedModel } from '@dte/testkit';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSimulation } from '../src/serve/hostSimulation.ts';

describe.skipIf(!hasSharedModel())(
  'embodied agents as OpenAI chat models (dte serve --arena foraging --agents N)',
  () => {
    let served: ServedModel;
    let app: FastifyInstance;
    let client: OpenAI;
    let sim: ReturnType<typeof hostSimulation>;
    beforeAll(async () => {
      served = await loadServedModel(sharedModel('stories260K.gguf'), {
        backend: 'reference',
        kvCacheBytes: 8 << 20,
        maxNumSeqs: 8,
        seed: 1,
        policy: 'priority',
      });
      sim = hostSimulation(served, { numAgents: 3, seed: 4, isRunning: false });
      app = await buildApp({ served, agents: sim.directory });
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      client = new OpenAI({ baseURL: `${address}/v1`, apiKey: 'none', maxRetries: 0 });
    });
    afterAll(async () => {
      sim.stop();
      await app.close();
    });

    it('lists every agent beside the base model', async () => {
      const ids = (await client.models.list()).data.map((m) => m.id);
      expect(ids).toEqual(['stories260K', ...sim.agents.map((a) => `agent/${a.agentId}`)]);
    });

    it('a chat is heard (memory + attention), answered from the agent prompt, and remembered', async () => {
      const agent = sim.agents[0]!;
      const store = agent.mind.store;
      const numBefore = agent.mind.memory.episodes().length;
      const stiBefore = store.getSti(agent.mind.self);
      const turn = agent.hear.bind(agent);
      let system = '';
      agent.hear = (text) => {
        const t = turn(text);
        system = t.system;
        expect(t.priority).toBe(priorityOf(agent.mind.urgency$.value));
        expect(t.owner).toBe(agent.agentId);
        return t;
      };
      const res = await client.chat.completions.create({
        model: `agent/${agent.agentId}`,
        messages: [{ role: 'user', content: 'Where is the water?' }],
        max_tokens: 8,
        temperature: 0,
      });
      agent.hear = turn;
      expect(res.model).toBe(`agent/${agent.agentId}`);
      expect(res.choices[0]!.message.content!.length).toBeGreaterThan(0);
      expect(system).toContain(`You are ${agent.agentId}, ${agent.persona}`);
      expect(system).toContain('Where is the water?'); // the heard speech is among the relevant memories
      const describe = (m: typeof agent.mind, h: number) => String(m.store.getValue(h, 'text') ?? '');
      const texts = agent.mind.memory.episodes().map((h) => describe(agent.mind, h));
      expect(agent.mind.memory.episodes().length).toBe(numBefore + 2);
      expect(texts.some((t) => t.includes('someone said to me: "Where is the water?"'))).toBe(true);
      expect(texts.some((t) => t.includes(`I replied: ${res.choices[0]!.message.content!.slice(0, 20)}`))).toBe(true);
      expect(store.getSti(agent.mind.self)).toBeGreaterThan(stiBefore);
      expect(agent.mind.focusTexts(10).some((t) => t.includes('Where is the water?'))).toBe(true);
      // The other agents heard nothing.
      const other = sim.agents[1]!.mind;
      expect(other.memory.episodes().some((h) => describe(other, h).includes('water?'))).toBe(false);
    });

    it('motor actions are tools: a forced call becomes the agent next action', async () => {
      const agent = sim.agents[1]!;
      const res = await client.chat.completions.create({
        model: `agent/${agent.agentId}`,
        messages: [{ role: 'user', content: 'Drink now!' }],
        tool_choice: { type: 'function', function: { name: 'drink' } },
        max_tokens: 80,
        temperature: 0,
      });
      expect(res.choices[0]!.finish_reason, JSON.stringify(res.choices[0])).toBe('tool_calls');
      const call = res.choices[0]!.message.tool_calls![0]!;
      if (call.type !== 'function') throw new Error('not a function call');
      expect(call.function.name).toBe('drink');
      expect(JSON.parse(call.function.arguments)).toEqual({});
      expect(agent.pendingAction).toBe(agent.actionNames.indexOf('drink'));
      const mask = new Uint8Array(agent.actionNames.length).fill(1);
      const percept = { ...sim.adapter.reset(1).agent_1!, actionMask: mask };
      const sense = { surprise: 0, urgency: 0, reflex: 0, focus: [], memories: [] };
      expect(agent.wantsToDeliberate(percept, sense)).toBe(true);
      const d = await agent.deliberate(percept, sense, new AbortController().signal);
      expect(d.action).toBe(agent.actionNames.indexOf('drink'));
      expect(agent.pendingAction).toBeUndefined();
    });

    it('an unknown agent is a 404', async () => {
      const err = await client.chat.completions
        .create({ model: 'agent/nobody', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    });
  },
);
