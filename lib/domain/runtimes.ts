/**
 * The one table of Lambda runtimes Phoenix knows, with AWS's deprecation dates (the day patches
 * stop). AWS has moved these dates before: re-check https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 * and change them here only (source: AWS_BEHAVIOUR.md §3.11, DESIGN.md §5).
 */
export interface RuntimeInfo {
  id: string;
  label: string;
  /** ISO date after which AWS no longer patches the runtime. */
  deprecatedOn?: string;
  /** ISO date from which AWS refuses to create functions on it (AWS_BEHAVIOUR.md §3.11; moved before). */
  blockCreateOn?: string;
  /** ISO date from which AWS refuses UpdateFunctionConfiguration to it. */
  blockUpdateOn?: string;
  /** Lambda SnapStart supports it (Java 11+, Python 3.12+, .NET 8+); SnapStart excludes provisioned concurrency. */
  snapStart?: boolean;
}

export const RUNTIMES: readonly RuntimeInfo[] = [
  {
    id: "python3.9",
    label: "Python 3.9",
    deprecatedOn: "2025-12-15",
    blockCreateOn: "2027-02-01",
    blockUpdateOn: "2027-03-03",
  },
  { id: "python3.10", label: "Python 3.10", deprecatedOn: "2026-06-30" },
  { id: "python3.11", label: "Python 3.11", deprecatedOn: "2026-06-30" },
  { id: "python3.12", label: "Python 3.12", deprecatedOn: "2028-10-31", snapStart: true },
  { id: "python3.13", label: "Python 3.13", deprecatedOn: "2029-06-30", blockUpdateOn: "2029-08-31", snapStart: true },
  { id: "python3.14", label: "Python 3.14", deprecatedOn: "2029-06-30", blockUpdateOn: "2029-08-31", snapStart: true },
  { id: "nodejs18.x", label: "Node.js 18", deprecatedOn: "2025-09-01" },
  { id: "nodejs20.x", label: "Node.js 20", deprecatedOn: "2026-04-30" },
  { id: "nodejs22.x", label: "Node.js 22", deprecatedOn: "2027-04-30", blockUpdateOn: "2027-07-01" },
  { id: "nodejs24.x", label: "Node.js 24", deprecatedOn: "2028-04-30", blockUpdateOn: "2028-07-01" },
  { id: "java8.al2", label: "Java 8 (AL2)", deprecatedOn: "2026-06-30" },
  { id: "java11", label: "Java 11", deprecatedOn: "2026-06-30", snapStart: true },
  { id: "java17", label: "Java 17", deprecatedOn: "2026-06-30", snapStart: true },
  { id: "java21", label: "Java 21", deprecatedOn: "2029-06-30", snapStart: true },
  { id: "java25", label: "Java 25", deprecatedOn: "2029-06-30", snapStart: true },
  { id: "dotnet8", label: ".NET 8", deprecatedOn: "2026-11-10", snapStart: true },
  { id: "dotnet10", label: ".NET 10", deprecatedOn: "2028-11-14", snapStart: true },
  { id: "ruby3.2", label: "Ruby 3.2", deprecatedOn: "2026-03-31" },
  { id: "ruby3.3", label: "Ruby 3.3", deprecatedOn: "2027-03-31" },
  { id: "ruby3.4", label: "Ruby 3.4", deprecatedOn: "2028-03-31" },
  { id: "provided.al2", label: "OS-only (AL2)", deprecatedOn: "2026-06-30" },
  { id: "provided.al2023", label: "OS-only (AL2023)", deprecatedOn: "2029-06-30" },
];

export type RuntimeState = "supported" | "deprecating" | "deprecated" | "unknown";

export interface RuntimeStatus {
  id: string;
  label: string;
  state: RuntimeState;
  deprecatedOn?: string;
  /** Plain words for a badge's title, e.g. "Deprecated since 2025-12-15: no more security patches". */
  explanation: string;
}

/** How close to deprecation a runtime counts as "deprecating": time enough to plan an upgrade. */
const warningDays = 180;

/** The status of `runtimeId` on `today` (ms since epoch). */
export function runtimeStatus(runtimeId: string, todayMs: number): RuntimeStatus {
  const info = RUNTIMES.find((runtime) => runtime.id === runtimeId);
  if (!info) {
    return {
      id: runtimeId,
      label: runtimeId || "container image",
      state: "unknown",
      explanation: "Phoenix has no deprecation date for this runtime.",
    };
  }
  if (!info.deprecatedOn) return { ...info, state: "supported", explanation: "Supported." };
  const deprecationMs = Date.parse(`${info.deprecatedOn}T00:00:00Z`);
  if (todayMs >= deprecationMs) {
    return {
      ...info,
      state: "deprecated",
      explanation: `Deprecated since ${info.deprecatedOn}: AWS no longer patches it. Upgrade.`,
    };
  }
  const daysLeft = Math.ceil((deprecationMs - todayMs) / 86_400_000);
  if (daysLeft <= warningDays) {
    return {
      ...info,
      state: "deprecating",
      explanation: `Deprecated on ${info.deprecatedOn} (in ${daysLeft} days): plan the upgrade.`,
    };
  }
  return { ...info, state: "supported", explanation: `Supported until ${info.deprecatedOn}.` };
}
