/** Shared by the overlay chart's frame (table, placeholder) and its recharts plot. */

export const DAY_MS = 86_400_000;

/** The plot's height (px): the placeholder has it from the first paint, so nothing moves when it is drawn. */
export const OVERLAY_PLOT_HEIGHT = 224;

/** An offset from a window's start, as "day 2 13:00". */
export function offsetLabel(offsetMs: number): string {
  const day = Math.floor(offsetMs / DAY_MS) + 1;
  const hour = Math.floor((offsetMs % DAY_MS) / 3_600_000);
  return `day ${day} ${String(hour).padStart(2, "0")}:00`;
}
