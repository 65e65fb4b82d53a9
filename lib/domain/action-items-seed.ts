import type { ActionItemStatus, Dependency } from "./action-items";
import type { Verification } from "./verification";

/**
 * The review meeting's six action items and its two reviews, as Phoenix seeds them (pure: dates come
 * in, rows go out). Order is the meeting's: the refactor first (it changes what power tuning
 * measures), refactor and RDS Proxy in staging by the end of that week, the rest the week after.
 */

export const MAIN_FUNCTION = "process-user-request";
const DAY_MS = 86_400_000;

export interface SeedItem {
  seedKey: string;
  title: string;
  owner: string;
  dueDate: string;
  functions: string[];
  dependsOnSeedKeys: { seedKey: string; reason: string }[];
  verification: Verification;
  notes: string;
  status: ActionItemStatus;
  startedAt: string | null;
  doneAt: string | null;
}

export interface SeedReview {
  seedKey: string;
  title: string;
  meetingDate: string;
  baseline: { startMs: number; endMs: number };
  current: { startMs: number; endMs: number };
}

export interface SeedPlan {
  items: SeedItem[];
  reviews: SeedReview[];
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The Friday of the week of `ms` (UTC date; the same day when it is a Friday). */
export function fridayOfWeek(ms: number): number {
  const day = new Date(ms).getUTCDay();
  return ms + ((5 - day + 7) % 7) * DAY_MS;
}

const HOUR_MS = 3_600_000;
const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

export interface SeedContext {
  /** When the review meeting took place. */
  meetingMs: number;
  /** Now (for the follow-up's current window). */
  nowMs: number;
  /** When the follow-up review is held (default: the Friday of the week after the meeting). */
  followUpMs?: number;
  /** Functions still on python3.9 (linked to item 5). */
  pythonFunctions: string[];
  /** When each item was done, by seed key (the `followup` scenario); absent = still to do. */
  doneAt?: Partial<Record<string, number>>;
  /** Where the provisioned-concurrency schedule is tested, in words. */
  stage: string;
  /**
   * Length of the follow-up's current window (default 7 days, the review default). The `followup`
   * scenario applies the fixes over the past week, so its follow-up looks at the days since they landed.
   */
  followUpCurrentDays?: number;
}

/** The items and reviews to seed for a meeting held at `meetingMs`. */
export function seedPlan(context: SeedContext): SeedPlan {
  const endOfWeek = isoDate(fridayOfWeek(context.meetingMs));
  const nextWeek = isoDate(fridayOfWeek(context.meetingMs) + 7 * DAY_MS);
  const done = (key: string) => context.doneAt?.[key];
  const statusOf = (key: string): Pick<SeedItem, "status" | "startedAt" | "doneAt"> => {
    const at = done(key);
    return at === undefined
      ? { status: "todo", startedAt: null, doneAt: null }
      : { status: "done", startedAt: new Date(at - 4 * HOUR_MS).toISOString(), doneAt: new Date(at).toISOString() };
  };
  const items: SeedItem[] = [
    {
      seedKey: "meeting-1",
      title: "Refactor process-user-request: drop pandas, write the CSV with the csv module",
      owner: "David",
      dueDate: endOfWeek,
      functions: [MAIN_FUNCTION],
      dependsOnSeedKeys: [],
      verification: { kind: "package-size", functionName: MAIN_FUNCTION, maxMb: 10 },
      notes:
        "pandas (a ~48 MB layer, 100+ MB unzipped) is only used to build a CSV for S3; importing it makes Init slow. First: it changes what power tuning measures. In staging by the end of the week.",
      ...statusOf("meeting-1"),
    },
    {
      seedKey: "meeting-2",
      title: "Deploy an RDS Proxy for the Aurora cluster and integrate it",
      owner: "Maria",
      dueDate: endOfWeek,
      functions: [MAIN_FUNCTION],
      dependsOnSeedKeys: [],
      verification: { kind: "rds-proxy", functionName: MAIN_FUNCTION, variable: "DB_HOST" },
      notes:
        "Every invocation opens its own connection (TLS handshake) to Aurora PostgreSQL. Proof of concept in staging this afternoon; in staging by the end of the week.",
      ...statusOf("meeting-2"),
    },
    {
      seedKey: "meeting-3",
      title: "Power-tune the memory of process-user-request (after the refactor)",
      owner: "Maria",
      dueDate: nextWeek,
      functions: [MAIN_FUNCTION],
      dependsOnSeedKeys: [
        {
          seedKey: "meeting-1",
          reason:
            "the refactor changes the package and the compute profile, so tuning before it measures a function that is about to change",
        },
      ],
      verification: { kind: "memory-tuned", functionName: MAIN_FUNCTION, qualifier: "live" },
      notes: "512 MB came from a template and was never tuned. Use Lambda Power Tuning once the refactor is in.",
      ...statusOf("meeting-3"),
    },
    {
      seedKey: "meeting-4",
      title: "Cache the user configuration in ElastiCache for Redis",
      owner: "Tom & David",
      dueDate: nextWeek,
      functions: [MAIN_FUNCTION],
      dependsOnSeedKeys: [],
      verification: { kind: "redis-cache", functionName: MAIN_FUNCTION, variable: "CACHE_URL", hitsLookbackHours: 24 },
      notes: "The same slow-changing configuration is read from the database on every request.",
      ...statusOf("meeting-4"),
    },
    {
      seedKey: "meeting-5",
      title: "Upgrade all Python functions from 3.9 to 3.11 or newer",
      owner: "Maria",
      dueDate: nextWeek,
      functions: context.pythonFunctions.length > 0 ? context.pythonFunctions : [MAIN_FUNCTION],
      dependsOnSeedKeys: [],
      verification: { kind: "runtime", functions: [], forbidden: ["python3.9"], minimum: "python3.11" },
      notes: "Newer runtimes start faster; python3.9 is deprecated (2025-12-15).",
      ...statusOf("meeting-5"),
    },
    {
      seedKey: "meeting-6",
      title: "Provisioned-concurrency schedule for process-user-request in staging",
      owner: "Maria",
      dueDate: nextWeek,
      functions: [MAIN_FUNCTION],
      dependsOnSeedKeys: [],
      verification: { kind: "pc-schedule", functionName: MAIN_FUNCTION, qualifier: "live", stage: context.stage },
      notes:
        "About 50 at peak, 5 (or 0) overnight, on the alias `live`. PutProvisionedConcurrencyConfig needs at least 1: “0 overnight” is a scheduled action with capacity 0. A safety net, not a crutch.",
      ...statusOf("meeting-6"),
    },
  ];
  const followUpMs = context.followUpMs ?? fridayOfWeek(context.meetingMs) + 7 * DAY_MS;
  const baseline = { startMs: floorHour(context.meetingMs) - 14 * DAY_MS, endMs: floorHour(context.meetingMs) };
  const reviews: SeedReview[] = [
    {
      seedKey: "review-meeting",
      title: "Project Phoenix latency review",
      meetingDate: isoDate(context.meetingMs),
      baseline,
      current: { startMs: baseline.endMs - 7 * DAY_MS, endMs: baseline.endMs },
    },
    {
      seedKey: "review-followup",
      title: "Project Phoenix latency review — follow-up",
      meetingDate: isoDate(followUpMs),
      baseline,
      current: {
        startMs: floorHour(Math.min(followUpMs, context.nowMs)) - (context.followUpCurrentDays ?? 7) * DAY_MS,
        endMs: floorHour(Math.min(followUpMs, context.nowMs)),
      },
    },
  ];
  return { items, reviews };
}

/** Dependencies by seed key → by item id, once the ids are known. */
export function resolveSeedDependencies(item: SeedItem, idBySeedKey: ReadonlyMap<string, string>): Dependency[] {
  return item.dependsOnSeedKeys.flatMap((dependency) => {
    const itemId = idBySeedKey.get(dependency.seedKey);
    return itemId ? [{ itemId, reason: dependency.reason }] : [];
  });
}
