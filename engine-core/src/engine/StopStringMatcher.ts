/** Result of feeding text to a {@link StopStringMatcher}. */
export interface StopMatch {
  /** Text safe to emit now (never part of a stop string). */
  text: string;
  /** A stop string was found; `text` ends just before it. */
  isStopped: boolean;
}

/**
 * Finds stop strings across token boundaries: text that may be the beginning of a stop string is
 * held back until the next tokens show whether it is.
 * @example const m = new StopStringMatcher(['\n\n']); m.push('a\n'); // { text: 'a', isStopped: false }
 */
export class StopStringMatcher {
  private readonly stops: readonly string[];
  private held = '';

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  /** Feeds newly decoded text. */
  push(text: string): StopMatch {
    const buf = this.held + text;
    if (this.stops.length === 0) {
      this.held = '';
      return { text: buf, isStopped: false };
    }
    let first = -1;
    for (const stop of this.stops) {
      const i = buf.indexOf(stop);
      if (i >= 0 && (first < 0 || i < first)) first = i;
    }
    if (first >= 0) {
      this.held = '';
      return { text: buf.slice(0, first), isStopped: true };
    }
    const hold = this.longestPrefixSuffix(buf);
    this.held = buf.slice(buf.length - hold);
    return { text: buf.slice(0, buf.length - hold), isStopped: false };
  }

  /** Releases held-back text (the sequence ended for another reason). */
  flush(): string {
    const t = this.held;
    this.held = '';
    return t;
  }

  private longestPrefixSuffix(buf: string): number {
    let best = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, buf.length); k > best; k--) {
        if (buf.endsWith(stop.slice(0, k))) {
          best = k;
          break;
        }
      }
    }
    return best;
  }
}
