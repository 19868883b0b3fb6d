import { ACTIONS, expertPolicy } from '@dte/arena';
import { loadModel } from '@dte/engine-core';
import { evaluatePolicy, modelPolicy } from '../src/index.ts';

const loaded = await loadModel(process.argv[2]!, { numBlocks: 64 });
const inner = modelPolicy(loaded);
const conf: Record<string, Record<string, number>> = {};
let neg = 0,
  pos = 0,
  posSum = 0;
const deaths: string[] = [];
const last: Record<string, string> = {};
const r = await evaluatePolicy(
  async (obs, c) => {
    if (c.lastReward < 0) neg++;
    if (c.lastReward > 0) {
      pos++;
      posSum += c.lastReward;
    }
    const ex = expertPolicy(obs, c.viewSize, c.tick * 31 + c.agentIndex + c.episode);
    const m = await inner(obs, c);
    conf[ACTIONS[ex]!] ??= {};
    conf[ACTIONS[ex]!]![ACTIONS[m]!] = (conf[ACTIONS[ex]!]![ACTIONS[m]!] ?? 0) + 1;
    last[`${c.episode}:${c.agent}`] = `t${c.tick} ${obs.text} -> ${ACTIONS[m]} (expert ${ACTIONS[ex]})`;
    return m;
  },
  { seed: 9000, episodes: 12, ticks: 100 },
);
console.log(r, { neg, pos, posSum });
console.log(conf);
for (const [k, v] of Object.entries(last)) if (!v.startsWith('t99')) console.log(k, v);
