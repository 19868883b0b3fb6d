/**
 * Urgency in [0, 1] from proprioception (levels of energy, hydration, health, their rates, pain) and
 * the STI of the agent's self atom: low levels and falling health dominate; attention adds a little.
 * The engine priority is `Math.round(urgency * 100)`.
 *
 * proprio layout: [energy, hydration, health, d_energy, d_hydration, d_health, last_ok, collided, pain].
 * @example computeUrgency(new Float32Array([0.1, 0.9, 1, 0, 0, 0, 1, 0, 0]), 0) // ≈ 0.7 (hungry)
 */
export function computeUrgency(proprio: ArrayLike<number>, selfSti = 0, stiScale = 100): number {
  const energy = proprio[0] ?? 1;
  const hydration = proprio[1] ?? 1;
  const health = proprio[2] ?? 1;
  const dHealth = proprio[5] ?? 0;
  const pain = proprio[8] ?? 0;
  const need = (level: number) => Math.max(0, Math.min(1, (0.6 - level) / 0.5)); // 0 above 60%, 1 at 10%
  const bodily = Math.max(need(energy), need(hydration), need(health * 0.8), pain, Math.min(1, -dHealth * 5));
  const attention = Math.max(0, Math.min(1, selfSti / stiScale));
  return Math.max(0, Math.min(1, 0.85 * bodily + 0.15 * attention));
}

/** Engine priority (integer, higher first) for an urgency in [0, 1]. */
export function priorityOf(urgency: number): number {
  return Math.round(Math.max(0, Math.min(1, urgency)) * 100);
}
