import { zoneOffsetMs } from "@/lib/domain/time-zone";

/** The time axis of the function page's charts: round local ticks and formats, in any IANA time zone. */

const tickSteps = [5, 15, 30, 60, 180, 360, 720, 1_440, 2_880, 10_080].map((minutes) => minutes * 60_000);

/** At most ~8 ticks on round local times (whole hours, midnights, …). */
export function timeTicks(domain: [number, number], timeZone: string | undefined): number[] {
  const span = domain[1] - domain[0];
  const step = tickSteps.find((candidate) => span / candidate <= 8) ?? (tickSteps.at(-1) as number);
  const offset = zoneOffsetMs(domain[0], timeZone);
  const ticks: number[] = [];
  for (let local = Math.ceil((domain[0] + offset) / step) * step; local - offset <= domain[1]; local += step) {
    ticks.push(local - offset);
  }
  return ticks;
}

export interface TimeFormat {
  /** A tick label, as short as the span allows ("14:00", "Tue 14:00", "3 Dec"). */
  axis: (ms: number) => string;
  /** A full time with the zone ("3 Dec, 14:05 UTC"): tooltips, annotations, the table view. */
  full: (ms: number) => string;
}

export function timeFormatter(timeZone: string | undefined, spanMs: number): TimeFormat {
  const axis = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    ...(spanMs > 2 * 86_400_000
      ? { day: "numeric", month: "short" }
      : spanMs > 12 * 3_600_000
        ? { weekday: "short", hour: "2-digit", minute: "2-digit" }
        : { hour: "2-digit", minute: "2-digit" }),
  });
  const full = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
  return { axis: (ms: number) => axis.format(new Date(ms)), full: (ms: number) => full.format(new Date(ms)) };
}
