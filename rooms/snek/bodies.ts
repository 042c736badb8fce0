// Client side of the lean state: rebuilds every snake's body from head moves.
// Call update() on every decoded patch (room.onStateChange), not per frame:
// a body is the trail of heads, so no patch may be skipped.

import { decodeTrail, dirFromCode } from "./protocol.ts";
import { spawnBody, type Cell } from "./rules.ts";

/** The fields of a decoded PlayerState the bodies depend on. */
export interface PlayerView {
  x: number;
  y: number;
  dir: number;
  length: number;
  alive: boolean;
  /** Only in the full state; undefined for a player added by a patch (a fresh, straight spawn). */
  trail?: string;
}

export class SnakeBody {
  /** Head first; empty while dead. */
  cells: Cell[] = [];
  /**
   * The decoded trail keeps its full-state value forever (patches never carry
   * it), so it is only true on the first update.
   */
  private trailIsCurrent = true;

  update(player: PlayerView): void {
    const trailIsCurrent = this.trailIsCurrent;
    this.trailIsCurrent = false;
    if (!player.alive || player.length === 0) {
      this.cells = [];
      return;
    }
    const head = { x: player.x, y: player.y };
    const previous = this.cells[0];
    if (previous === undefined) {
      // First sight (the full state carries the body), or a respawn: a straight line behind the head.
      this.cells = trailIsCurrent && player.trail ? decodeTrail(head, player.trail) : spawnBody(head, dirFromCode(player.dir), player.length);
    } else if (previous.x !== head.x || previous.y !== head.y) {
      const stepped = Math.abs(previous.x - head.x) + Math.abs(previous.y - head.y) === 1;
      // A jump is a respawn: spawns are straight lines behind the head.
      this.cells = stepped ? [head, ...this.cells] : spawnBody(head, dirFromCode(player.dir), player.length);
    }
    if (this.cells.length > player.length) this.cells.length = player.length;
  }
}

/** Bodies of all players in a room, keyed by sessionId. */
export class Bodies {
  private readonly bySession = new Map<string, SnakeBody>();

  /** Feed it state.players after each patch. */
  update(players: { forEach(cb: (player: PlayerView, sessionId: string) => void): void }): void {
    const seen = new Set<string>();
    players.forEach((player, sessionId) => {
      seen.add(sessionId);
      let body = this.bySession.get(sessionId);
      if (!body) this.bySession.set(sessionId, (body = new SnakeBody()));
      body.update(player);
    });
    for (const id of this.bySession.keys()) if (!seen.has(id)) this.bySession.delete(id);
  }

  get(sessionId: string): readonly Cell[] {
    return this.bySession.get(sessionId)?.cells ?? [];
  }

  entries(): IterableIterator<[string, SnakeBody]> {
    return this.bySession.entries();
  }
}
