// Food, timed to the picture. Snakes are drawn a little behind the newest
// tick, so food the server already removed must stay on screen until the
// snake that ate it is drawn reaching it; food you eat disappears on your own
// (predicted) clock instead.

import type { Cell } from "../../../rooms/snek/rules.ts";

interface FoodItem {
  cell: Cell;
  /** Tick the food appeared in; -Infinity for food that was there when we joined. */
  addedTick: number;
  /** Tick it was eaten or vanished in. */
  removedTick?: number;
  eatenByYou: boolean;
}

export class FoodTrack {
  private readonly items = new Map<number, FoodItem>();
  private seeded = false;

  /**
   * After each patch: `indexes` is every food cell index in the state now.
   * `yourHead` is your head's cell in this tick, to tell food you ate.
   */
  update(indexes: Iterable<number>, boardWidth: number, tick: number, yourHead: Cell | undefined): void {
    const present = new Set(indexes);
    for (const index of present) {
      const item = this.items.get(index);
      if (item && item.removedTick === undefined) continue;
      // New food, or food that reappeared on a cell whose old food is still being shown.
      this.items.set(index, {
        cell: { x: index % boardWidth, y: Math.floor(index / boardWidth) },
        addedTick: this.seeded ? tick : -Infinity,
        eatenByYou: false,
      });
    }
    for (const [index, item] of this.items) {
      if (present.has(index) || item.removedTick !== undefined) continue;
      item.removedTick = tick;
      item.eatenByYou = yourHead !== undefined && yourHead.x === item.cell.x && yourHead.y === item.cell.y;
    }
    this.seeded = true;
  }

  /** Food to draw when others are drawn at `renderTick` and you at `yourTick`. */
  visible(renderTick: number, yourTick: number): Cell[] {
    const cells: Cell[] = [];
    for (const [index, item] of this.items) {
      if (item.removedTick !== undefined) {
        const eatenAt = item.eatenByYou ? yourTick : renderTick;
        if (eatenAt >= item.removedTick) {
          // Gone from the picture for good once everything is drawn past it.
          if (Math.min(renderTick, yourTick) >= item.removedTick) this.items.delete(index);
          continue;
        }
      }
      if (item.addedTick - 1 > renderTick) continue;
      cells.push(item.cell);
    }
    return cells;
  }

  /** Drop everything (reconnect: the next full state seeds it again). */
  clear(): void {
    this.items.clear();
    this.seeded = false;
  }
}
