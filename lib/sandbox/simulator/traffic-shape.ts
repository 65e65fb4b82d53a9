import type { WorkloadProfile } from "./parameters";

/**
 * Weekday demand by local hour relative to the business-hours peak: a morning ramp, a lunch dip,
 * an afternoon plateau and a nearly idle night (raised to the workload's night factor), so the warm
 * pool idles out overnight and the first users of the morning meet cold environments.
 */
const WEEKDAY_CURVE = [
  0.0002, 0.0002, 0.0002, 0.0002, 0.0005, 0.002, 0.015, 0.12, 0.5, 0.85, 1.0, 0.95, 0.78, 0.88, 1.0, 0.96, 0.85, 0.6,
  0.3, 0.12, 0.05, 0.02, 0.006, 0.001,
] as const;

/** Demand factor (0..1) at a local time; minutes interpolate between hours so ramps are smooth. */
export function demandShape(
  workload: Pick<WorkloadProfile, "nightFactor" | "weekendFactor">,
  localHour: number,
  localMinute: number,
  weekday: number,
): number {
  const current = WEEKDAY_CURVE[localHour] ?? 0;
  const next = WEEKDAY_CURVE[(localHour + 1) % 24] ?? 0;
  const curve = current + ((next - current) * localMinute) / 60;
  const isWeekend = weekday === 0 || weekday === 6;
  const shaped = Math.max(workload.nightFactor, curve);
  return isWeekend ? shaped * workload.weekendFactor : shaped;
}

/** Whether a local time is inside the weekday business hours where bursts happen. */
export function isBusinessHours(localHour: number, weekday: number): boolean {
  return weekday >= 1 && weekday <= 5 && localHour >= 8 && localHour < 18;
}
