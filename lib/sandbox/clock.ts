/**
 * Time is a dependency of the sandbox: every model reads this clock, never `Date.now()`, so tests move
 * time forward instead of waiting and the standalone server can run faster than real time.
 */
export interface Clock {
  now(): Date;
}

/** Real time. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; what tests use. */
export class ManualClock implements Clock {
  private currentMs: number;

  constructor(start: Date | number | string) {
    this.currentMs = new Date(start).getTime();
    if (Number.isNaN(this.currentMs)) throw new Error(`ManualClock: invalid start time ${String(start)}`);
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error("ManualClock: time only moves forward");
    this.currentMs += ms;
  }

  set(to: Date | number): void {
    const targetMs = new Date(to).getTime();
    if (targetMs < this.currentMs) throw new Error("ManualClock: time only moves forward");
    this.currentMs = targetMs;
  }
}

/**
 * Real time sped up by `speed` from a start instant: a demo of a day of schedules in minutes.
 * At speed 1 it is the system clock shifted to `start`.
 */
export class AcceleratedClock implements Clock {
  private readonly realStartMs = Date.now();
  private readonly simulatedStartMs: number;

  constructor(
    private readonly speed: number,
    start: Date = new Date(),
  ) {
    if (!(speed > 0)) throw new Error("AcceleratedClock: speed must be > 0");
    this.simulatedStartMs = start.getTime();
  }

  now(): Date {
    return new Date(this.simulatedStartMs + (Date.now() - this.realStartMs) * this.speed);
  }
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

export function ceilToMinute(ms: number): number {
  return Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
}
