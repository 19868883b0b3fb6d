/** A frame for the viewer: the arena world plus each agent's mind (focus, thought, urgency). */
export interface ViewerFrame {
  tick: number;
  world: unknown;
  agents: Array<{
    id: string;
    urgency?: number;
    surprise?: number;
    focus?: string[];
    thought?: string;
    source?: string;
  }>;
  stats?: Record<string, number | string>;
}

/**
 * Fan-out of live frames to viewer connections; a new subscriber first receives the latest frame.
 * @example const hub = new ViewerHub(); const off = hub.subscribe((f) => send(f)); hub.publish(frame); off();
 */
export class ViewerHub {
  private readonly listeners = new Set<(frame: ViewerFrame) => void>();
  private latest: ViewerFrame | null = null;

  publish(frame: ViewerFrame): void {
    this.latest = frame;
    for (const l of this.listeners) l(frame);
  }

  subscribe(listener: (frame: ViewerFrame) => void): () => void {
    this.listeners.add(listener);
    if (this.latest) listener(this.latest);
    return () => this.listeners.delete(listener);
  }

  get numSubscribers(): number {
    return this.listeners.size;
  }
}
