// Bookkeeping for a room that arrives from another replica: it holds the game
// still until its players are back, so nobody loses a tick, then forgets
// players who never came.

/**
 * How long an arriving room waits for its connected players before it resumes
 * ticking. They are usually all back within a few hundred ms; the bound only
 * matters when one of them fails to follow.
 */
export const RESUME_AFTER_MS = 3000;

/** The arriving side: players expected, and until when. */
export class Arrival {
  /** sessionId -> deadline (clock ms) for players dropped at the time of the move. */
  private readonly expected = new Map<string, number>();
  private readonly waitingFor = new Set<string>();
  /** Arrived, but maybe not yet sent the full state; it must see the game at the tick it left. */
  private readonly arriving = new Set<string>();
  private resumeAtMs: number;

  constructor(players: readonly { sessionId: string; connected: boolean }[], nowMs: number, seatSeconds: number) {
    for (const p of players) {
      this.expected.set(p.sessionId, nowMs + seatSeconds * 1000);
      if (p.connected) this.waitingFor.add(p.sessionId);
    }
    this.resumeAtMs = nowMs + RESUME_AFTER_MS;
  }

  /** True if this session is a player of the moved game (its snake is already in the world). */
  arrived(sessionId: string): boolean {
    if (!this.expected.delete(sessionId)) return false;
    if (this.waitingFor.delete(sessionId)) this.arriving.add(sessionId);
    return true;
  }

  /**
   * The game stays still until every connected player is back and has its
   * full state (`hasState`), or briefly at most.
   */
  holding(nowMs: number, hasState: (sessionId: string) => boolean): boolean {
    if (nowMs >= this.resumeAtMs) return false;
    for (const sessionId of this.arriving) if (hasState(sessionId)) this.arriving.delete(sessionId);
    return this.waitingFor.size > 0 || this.arriving.size > 0;
  }

  /** The hold starts again: a successor made before break holds from its cut-over, not its creation. */
  holdFrom(nowMs: number): void {
    this.resumeAtMs = nowMs + RESUME_AFTER_MS;
  }

  /** Players whose seat ran out without them: remove their snakes. */
  expired(nowMs: number): string[] {
    const gone: string[] = [];
    for (const [sessionId, deadline] of this.expected) {
      if (nowMs >= deadline) {
        this.expected.delete(sessionId);
        this.waitingFor.delete(sessionId);
        gone.push(sessionId);
      }
    }
    return gone;
  }

  get done(): boolean {
    return this.expected.size === 0;
  }
}
