// The Four in a row room: a thin adapter between the room kit and the pure
// rules. Turn-based, so there is no simulation tick: each drop or rematch is
// applied to the match at once and mirrored into the state, and one timer
// waits for the move deadline. Joining, reconnection, spectators, the message
// gate and moving the game to another replica are the kit's.

import type { Client, Delayed } from "@colyseus/core";
import { GameRoom, roomWith, type KitSettings } from "../kit/GameRoom.ts";
import { gameMessages, type Refused } from "../kit/messageGate.ts";
import { cleanName, type JoinOptions } from "../kit/protocol.ts";
import { freeSeat, mirrorMatch, seatOf, seatPlayer, type Seating } from "./mirror.ts";
import { CLIENT_MESSAGES, PAUSED, WAITING_FOR_OPPONENT, refusalText, type FourRefusal } from "./protocol.ts";
import { askRematch, drop, forfeit, forfeitIfLate, newMatch, restartTurnClock, turnMsLeft, type Match, type Played, type Seat } from "./rules.ts";
import { FourState } from "./state.ts";

/**
 * What Four in a row reads from the server's Config, by Config's own names;
 * rooms/games.ts passes them. fourTurnSeconds (FOUR_TURN_SECONDS): a player
 * who does not move within this many seconds forfeits the game.
 */
export const FOUR_CONFIG = ["fourTurnSeconds"] as const;

export interface FourRoomSettings extends KitSettings, Record<(typeof FOUR_CONFIG)[number], number> {}

/** The whole game as plain data, for a move to another replica. */
export interface FourSnapshot {
  /** The match, with the turn clock as time already spent rather than a clock reading. */
  match: Omit<Match, "turnStartedAtMs"> & { turnSpentMs: number };
  players: { sessionId: string; name: string; seat: Seat }[];
}

/** How long to look again when the move deadline passes while the game is frozen (moving). */
const FROZEN_RETRY_MS = 250;

export function fourRoomWith(settings: FourRoomSettings): typeof FourRoom {
  return roomWith(FourRoom, settings);
}

export class FourRoom extends GameRoom<FourState, FourSnapshot, FourRoomSettings> {
  match!: Match;
  private readonly seating: Seating = new Map();
  private deadline: Delayed | undefined;

  protected override createGame(): void {
    this.start(newMatch(this.clock.currentTime));
  }

  protected override restoreGame({ match: { turnSpentMs, ...match }, players }: FourSnapshot): void {
    this.seating.clear();
    this.start({ ...match, turnStartedAtMs: this.clock.currentTime - turnSpentMs });
    for (const { sessionId, name, seat } of players) {
      this.seating.set(seat, sessionId);
      seatPlayer(this.state, sessionId, seat, name, false);
    }
    this.update(this.match);
  }

  protected override snapshotGame(): FourSnapshot {
    const { turnStartedAtMs, ...match } = this.match;
    const players = [...this.seating].map(([seat, sessionId]) => ({ sessionId, seat, name: this.state.players.get(sessionId)?.name ?? "" }));
    return { match: { ...match, turnSpentMs: this.clock.currentTime - turnStartedAtMs }, players };
  }

  protected override clientMessages() {
    return gameMessages(CLIENT_MESSAGES, {
      drop: (client, { column }) => this.play(client, "drop", (seat, now) => drop(this.match, seat, column, now)),
      rematch: (client) => this.play(client, "rematch", (seat, now) => askRematch(this.match, seat, now)),
    });
  }

  protected override addPlayer(client: Client, options: JoinOptions): void {
    const seat = freeSeat(this.seating);
    if (!seat) throw new Error("both seats are taken");
    this.seating.set(seat, client.sessionId);
    seatPlayer(this.state, client.sessionId, seat, cleanName(options.name) ?? `four-${client.sessionId.slice(0, 4)}`, true);
    // A newcomer in a game that is over (or never began) starts a fresh one; its seat's wins start at 0.
    const fresh = this.match.outcome.kind !== "playing" || this.match.moves === 0;
    const match = fresh ? { ...newMatch(this.clock.currentTime, this.match.firstSeat), wins: { ...this.match.wins, [seat]: 0 } } : this.match;
    this.update(restartTurnClock(match, this.clock.currentTime));
  }

  protected override setConnected(sessionId: string, connected: boolean): void {
    const player = this.state.players.get(sessionId);
    if (player) player.connected = connected;
  }

  protected override removePlayer(sessionId: string): void {
    const seat = seatOf(this.seating, sessionId);
    this.state.players.delete(sessionId);
    if (!seat) return;
    // Leaving mid-game gives that game to the other player.
    const match = forfeit(this.match, seat);
    this.seating.delete(seat);
    this.update(match);
  }

  private start(match: Match): void {
    this.match = match;
    this.state = new FourState({ turnSeconds: this.settings.fourTurnSeconds });
    mirrorMatch(match, this.seating, this.state);
  }

  /** Applies a player's move, or tells them why not. */
  private play(client: Client, type: string, move: (seat: Seat | undefined, nowMs: number) => Played): Refused | undefined {
    let refused: FourRefusal | undefined;
    if (!this.running) refused = PAUSED;
    else if (this.seating.size < 2 && this.match.outcome.kind === "playing") refused = WAITING_FOR_OPPONENT;
    const played = refused ? undefined : move(seatOf(this.seating, client.sessionId), this.clock.currentTime);
    refused ??= played?.refused;
    if (refused) return { reason: refused, message: `${type}: ${refusalText(refused)}` };
    this.update(played!.match!);
    return undefined;
  }

  /** The match moved on: mirror it, and arm the move timer for whoever is to move. */
  private update(match: Match): void {
    this.match = match;
    mirrorMatch(match, this.seating, this.state);
    this.deadline?.clear();
    this.deadline = undefined;
    if (this.state.turn === "") return;
    this.deadline = this.clock.setTimeout(() => this.onDeadline(), turnMsLeft(match, this.clock.currentTime, this.turnMs));
  }

  private onDeadline(): void {
    if (!this.running) {
      this.deadline = this.clock.setTimeout(() => this.onDeadline(), FROZEN_RETRY_MS);
      return;
    }
    const match = forfeitIfLate(this.match, this.clock.currentTime, this.turnMs);
    if (match !== this.match) this.log.debug({ seat: this.match.turn }, "move timer ran out: game forfeited");
    this.update(match);
  }

  private get turnMs(): number {
    return this.settings.fourTurnSeconds * 1000;
  }
}
