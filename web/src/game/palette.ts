// Colours. Player.color indexes SNAKE_COLORS (PALETTE_SIZE entries), so a
// player keeps the same colour on every screen and across reconnects. Every
// colour is tested for contrast against the board (palette.test.ts).

import { PALETTE_SIZE } from "../../../rooms/snek/protocol.ts";

/** 0xRRGGBB, bright hues far apart, all readable on BOARD_COLOR. */
export const SNAKE_COLORS: readonly number[] = [
  0x4ade80, // green
  0x60a5fa, // blue
  0xf87171, // red
  0xfacc15, // yellow
  0xc084fc, // purple
  0x22d3ee, // cyan
  0xfb923c, // orange
  0xf472b6, // pink
  0xa3e635, // lime
  0x2dd4bf, // teal
  0xe879f9, // fuchsia
  0x818cf8, // indigo
  0xfda4af, // rose
  0xfde68a, // sand
  0x93c5fd, // sky
  0xd6d3d1, // stone
];
if (SNAKE_COLORS.length !== PALETTE_SIZE) throw new Error("SNAKE_COLORS must have PALETTE_SIZE entries");

export const PAGE_COLOR = 0x0b0f17;
export const BOARD_COLOR = 0x141a29;
export const GRID_COLOR = 0x1d2538;
export const BORDER_COLOR = 0x4a5878;
export const FOOD_COLOR = 0xfff4c2;
export const FOOD_GLOW_COLOR = 0xffd166;
/** Outline that marks your own snake. */
export const YOU_OUTLINE_COLOR = 0xffffff;
export const EYE_COLOR = 0x0b0f17;
export const LABEL_TEXT_COLOR = "#f1f5f9";
export const LABEL_STROKE_COLOR = "#0b0f17";

export function snakeColor(paletteIndex: number): number {
  return SNAKE_COLORS[((paletteIndex % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE]!;
}

/** `a` moved `amount` (0-1) of the way towards `b`, per channel. */
export function mixColor(a: number, b: number, amount: number): number {
  const channel = (shift: number): number => {
    const ca = (a >> shift) & 0xff;
    const cb = (b >> shift) & 0xff;
    return Math.round(ca + (cb - ca) * amount) << shift;
  };
  return channel(16) | channel(8) | channel(0);
}

export function cssColor(rgb: number): string {
  return `#${rgb.toString(16).padStart(6, "0")}`;
}

/** WCAG 2 contrast ratio between two 0xRRGGBB colours (1 to 21). */
export function contrastRatio(a: number, b: number): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function relativeLuminance(rgb: number): number {
  const channel = (shift: number): number => {
    const c = ((rgb >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}
