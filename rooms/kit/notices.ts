// What players are told when their replica stops: the words live here, once.

import type { DrainNotice, MigrateNotice, SeatReservation } from "./protocol.ts";

export function drainNotice(seconds: number, roomsCanMove: boolean): DrainNotice {
  const why = roomsCanMove ? "No other server can take this game. " : "";
  return { seconds, message: `This server is restarting. ${why}The game ends in ${seconds} s; join again to keep playing.` };
}

/** With a seat: follow the room (`cutOver`: while the game plays on here). Without: the room did not move; find a new game. */
export function migrateNotice(reservation: SeatReservation | undefined, cutOver: boolean): MigrateNotice {
  if (!reservation) return { message: "This server is restarting. Finding you a new game…" };
  return cutOver ? { reservation, message: "Moving to another server…", cutOver } : { reservation, message: "Moving to another server…" };
}
