// Turns a failed join into a sentence a player can act on. The server maps
// matchmaking failures to HTTP statuses (rooms/server/matchmakeErrors.ts) and
// the SDK surfaces them as the error's `code`; a network failure has no
// numeric code at all.

export type JoinAttempt =
  | { kind: "quick" }
  | { kind: "create" }
  | { kind: "code"; roomId: string; watch?: boolean };

export function describeJoinError(error: unknown, attempt: JoinAttempt): string {
  const code = errorCode(error);
  const room = attempt.kind === "code" ? `Room "${attempt.roomId}"` : "The room";
  switch (code) {
    case 404:
      return attempt.kind === "code"
        ? `${room} was not found. It may have ended, or the code is mistyped. Check it, or start a new game.`
        : "The game room could not be found. Please try again.";
    case 409:
      // The room has all the spectators it takes (MAX_SPECTATORS): the server's message says so.
      return attempt.kind === "code" && attempt.watch === true && messageOf(error).includes("MAX_SPECTATORS")
        ? `${room} has as many spectators as it takes. Try again later.`
        : `${room} is full or closing. Try Quick play, or another room.`;
    case 400:
      return `The server refused to join: ${messageOf(error) || "bad join options"}.`;
    case 503:
      return "The server is restarting and not taking new players. Try again in a few seconds.";
    case 410:
      return "Your seat in that room has expired. Join again.";
  }
  if (code === undefined || code === 0 || code === 502 || code === 504) {
    return "Can't reach the game server. Check your connection, then try again.";
  }
  if (code >= 4000 && code < 5000) {
    // A WebSocket close during the join: the seat was taken away before we arrived.
    return `The room closed the connection while joining (${code}). Please try again.`;
  }
  return `Could not join (${code}${messageOf(error) ? `: ${messageOf(error)}` : ""}). Please try again.`;
}

function errorCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "number" && Number.isFinite(code) ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.trim() : "";
}

/** Why the game ended, when the room closed on us (room.onLeave code). */
export function describeLeave(code: number, reconnectFailed: boolean): string | undefined {
  if (code === 4000) return undefined; // we left on purpose
  if (code === 4011) return "The server restarted and the game ended. Join again to keep playing.";
  if (code === 4001) return "The server shut down and the game ended. Join again to keep playing.";
  if (reconnectFailed) return "Lost the connection to the game and could not get back in. Join again to keep playing.";
  return `The game ended: the connection closed (${code}). Join again to keep playing.`;
}
