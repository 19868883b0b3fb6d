import type { BodyState } from './AgentMind.ts';

/**
 * Urgency in [0, 1] from the body (low levels, falling health, pain) and from attention (the share
 * of the mind's STI its self atom holds, which rises while the body keeps asking for it and decays
 * through rent when it stops): 0.85 × bodily + 0.15 × min(1, 2 × selfShare). The engine priority is
 * `Math.round(urgency * 100)`.
 * @example computeUrgency({ ...sated, energy: 0.1 }, 0) // ≈ 0.85 (hungry)
 */
export function computeUrgency(body: BodyState, selfShare = 0): number {
  const need = (level: number) => Math.max(0, Math.min(1, (0.6 - level) / 0.5)); // 0 above 60%, 1 at 10%
  const bodily = Math.max(
    need(body.energy),
    need(body.hydration),
    need(body.health * 0.8),
    body.pain,
    Math.min(1, -body.dHealth * 5),
  );
  const attention = Math.max(0, Math.min(1, 2 * selfShare));
  return Math.max(0, Math.min(1, 0.85 * bodily + 0.15 * attention));
}

/** Engine priority (integer, higher first) for an urgency in [0, 1]. */
export function priorityOf(urgency: number): number {
  return Math.round(Math.max(0, Math.min(1, urgency)) * 100);
}
