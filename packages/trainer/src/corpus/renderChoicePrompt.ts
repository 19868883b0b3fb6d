/**
 * The deliberation prompt exactly as the agents see it (`ActionChooser.prompt` of `@dte/aar`): the
 * context, then the legal actions numbered 1…L, then `I choose option ` — the model answers one digit.
 * @example renderChoicePrompt('You are agent_0, ...\nNow: You face north.', [0, 1, 2], ACTIONS)
 */
export function renderChoicePrompt(context: string, legal: readonly number[], actionNames: readonly string[]): string {
  const options = legal.map((a, i) => `${i + 1}. ${actionNames[a]}`).join('\n');
  return `${context}\nOptions:\n${options}\nI choose option `;
}

/**
 * The deliberation context as `EchoMind.deliberate` builds it: persona, recalled episodes and the
 * observation (the attentional-focus line is left out: it needs the live ECAN state).
 */
export function renderChoiceContext(
  agentId: string,
  persona: string,
  memories: readonly string[],
  now: string,
): string {
  return [
    `You are ${agentId}, ${persona}`,
    memories.length ? `You remember: ${memories.join(' | ')}` : '',
    `Now: ${now}`,
  ]
    .filter(Boolean)
    .join('\n');
}
