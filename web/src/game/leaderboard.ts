// The HUD's top-N: who is ahead in this room right now.

export interface Standing {
  sessionId: string;
  name: string;
  color: number;
  score: number;
  best: number;
  alive: boolean;
  /** A room bot: shown as one. */
  bot?: boolean;
}

/** The top `count` players by current score, then best score, then name (stable for equal scores). */
export function topPlayers(players: Iterable<Standing>, count = 5): Standing[] {
  return [...players]
    .sort((a, b) => b.score - a.score || b.best - a.best || a.name.localeCompare(b.name) || a.sessionId.localeCompare(b.sessionId))
    .slice(0, count);
}
