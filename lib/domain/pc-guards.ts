import type { ScheduleActionSpec } from "./pc-heatmap";
import { nextFirings, parseSchedule, WEEK_MS } from "./schedule";

/**
 * Guard rails for provisioned concurrency (DESIGN.md §5, AWS_BEHAVIOUR.md §3.8): what AWS would
 * refuse (blockers) and what is legal but probably a mistake (warnings), in words.
 */

/** AWS keeps at least this much concurrency unreserved for functions without a reservation. */
export const UNRESERVED_FLOOR = 100;

export interface Guard {
  level: "block" | "warn";
  code:
    | "alias-on-latest"
    | "snapstart"
    | "above-reserved"
    | "below-unreserved-floor"
    | "duplicate-schedule"
    | "contradictory"
    | "never-fires"
    | "routing";
  message: string;
}

export interface GuardInput {
  functionName: string;
  qualifier: string;
  /** The version the alias points to (undefined for a version qualifier). */
  aliasVersion?: string;
  /** The alias splits traffic over two versions (AWS then refuses PC management). */
  aliasRouting?: boolean;
  snapStart: boolean;
  reservedConcurrency?: number;
  /** The account's unreserved concurrency now (already lowered by this qualifier's current PC). */
  unreservedConcurrency: number;
  /** PC this qualifier already holds (it comes back if the level changes). */
  currentPc: number;
  /** The highest PC the change would request. */
  peakPc: number;
}

export function pcGuards(input: GuardInput): Guard[] {
  const guards: Guard[] = [];
  if (input.aliasVersion === "$LATEST") {
    guards.push({
      level: "block",
      code: "alias-on-latest",
      message: `The alias ${input.qualifier} points to $LATEST, and provisioned concurrency only lives on published versions. Publish a version and repoint the alias first (Phoenix can do both).`,
    });
  }
  if (input.snapStart) {
    guards.push({
      level: "block",
      code: "snapstart",
      message: `${input.functionName} has SnapStart on; AWS does not allow provisioned concurrency together with SnapStart. Turn SnapStart off first, or rely on SnapStart instead.`,
    });
  }
  if (input.aliasRouting) {
    guards.push({
      level: "block",
      code: "routing",
      message: `The alias ${input.qualifier} splits traffic over two versions; AWS does not let provisioned concurrency be managed while it does.`,
    });
  }
  if (input.reservedConcurrency !== undefined) {
    if (input.peakPc > input.reservedConcurrency) {
      guards.push({
        level: "block",
        code: "above-reserved",
        message: `The peak of ${input.peakPc} is above the function's reserved concurrency of ${input.reservedConcurrency}; AWS refuses provisioned concurrency above it.`,
      });
    }
  } else {
    const available = input.unreservedConcurrency + input.currentPc - UNRESERVED_FLOOR;
    if (input.peakPc > available) {
      guards.push({
        level: "block",
        code: "below-unreserved-floor",
        message: `A peak of ${input.peakPc} would push the account's unreserved concurrency below its floor of ${UNRESERVED_FLOOR}: at most ${Math.max(0, available)} is available for this function.`,
      });
    }
  }
  return guards;
}

/** Overlapping, contradictory or dead scheduled actions, judged over the coming week. */
export function scheduleGuards(actions: readonly ScheduleActionSpec[], nowMs: number): Guard[] {
  const guards: Guard[] = [];
  const seen = new Map<string, string>();
  const firingsByInstant = new Map<number, ScheduleActionSpec[]>();
  for (const action of actions) {
    const key = `${action.schedule}|${action.timeZone ?? "UTC"}`;
    const duplicate = seen.get(key);
    if (duplicate) {
      guards.push({
        level: "warn",
        code: "duplicate-schedule",
        message: `${action.name} and ${duplicate} fire on the same schedule (${action.schedule}); the later one in name order wins each time.`,
      });
    } else {
      seen.set(key, action.name);
    }
    const parsed = parseSchedule(action.schedule);
    if (!parsed.ok) continue;
    const window = {
      ...(action.timeZone ? { timeZone: action.timeZone } : {}),
      ...(action.startTimeMs !== undefined ? { startTimeMs: action.startTimeMs } : {}),
      ...(action.endTimeMs !== undefined ? { endTimeMs: action.endTimeMs } : {}),
      createdMs: action.createdMs ?? nowMs,
    };
    const upcoming = nextFirings(parsed.schedule, window, nowMs, 2_100);
    if (upcoming.length === 0) {
      guards.push({
        level: "warn",
        code: "never-fires",
        message: `${action.name} will not fire again (${parsed.schedule.kind === "at" ? "its time has passed" : "its end time has passed"}).`,
      });
      continue;
    }
    for (const instant of upcoming) {
      if (instant > nowMs + WEEK_MS) break;
      const list = firingsByInstant.get(instant) ?? [];
      list.push(action);
      firingsByInstant.set(instant, list);
    }
  }
  const reported = new Set<string>();
  for (const [instant, list] of firingsByInstant) {
    if (list.length < 2) continue;
    const levels = new Set(list.map((action) => `${action.minCapacity ?? "-"}/${action.maxCapacity ?? "-"}`));
    const names = list.map((action) => action.name).sort();
    const key = names.join("+");
    if (levels.size > 1 && !reported.has(key)) {
      reported.add(key);
      guards.push({
        level: "warn",
        code: "contradictory",
        message: `${names.join(" and ")} fire at the same moment (${new Date(instant).toISOString().slice(0, 16).replace("T", " ")} UTC) with different capacities; which one ends up applied is not defined.`,
      });
    }
  }
  return guards;
}
