/**
 * Chart annotations: every change to a function that the audit log recorded, every scheduled
 * provisioned-concurrency action that fired, and (in sandbox mode) the sandbox's own configuration
 * history — which includes the scenario events, the code-level fixes no AWS API makes. The same
 * change often appears in more than one source; the audit row wins because it says who.
 */

export type AnnotationKind = "change" | "schedule" | "scenario" | "aws";

export interface Annotation {
  id: string;
  atMs: number;
  kind: AnnotationKind;
  /** What changed, in a few words. */
  title: string;
  /** Who or what made it: a Phoenix user, a scheduled action, the sandbox. */
  who: string;
  detail?: string;
}

export interface AuditAnnotationSource {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  input: string | null;
  /** The state before, as JSON; sandbox scenario events put their title here. */
  before?: string | null;
  outcome: string;
}

export interface HistoryAnnotationSource {
  at: number;
  service: string;
  action: string;
  resource: string;
  detail: unknown;
}

export interface ScalingActivitySource {
  activityId: string;
  resourceId: string;
  startMs: number;
  description: string;
  cause: string;
  status: string;
}

/** A history entry this close after an audited change of the same function is that change. */
const sameChangeWindowMs = 2 * 60_000;

/** Whether an audit target (`function:<name>` or `function:<name>:<qualifier>`) is about `functionName`. */
export function isFunctionTarget(target: string | null, functionName: string): boolean {
  if (!target) return false;
  return target === `function:${functionName}` || target.startsWith(`function:${functionName}:`);
}

/** The function a sandbox history resource (a Lambda ARN or an Auto Scaling resource id) is about. */
export function functionOfResource(resource: string): string | undefined {
  const arn = /^arn:aws:lambda:[^:]+:\d{12}:function:([^:]+)/.exec(resource);
  if (arn) return arn[1];
  return /^function:([^:]+)/.exec(resource)?.[1];
}

/** The `title` an audited change carries in its JSON (scenario events do), if any. */
function titleIn(json: string | null | undefined): string | undefined {
  if (!json) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed && typeof parsed === "object" && "title" in parsed && typeof parsed.title === "string")
      return parsed.title;
  } catch {
    // Truncated or not JSON: fall back to the action name.
  }
  return undefined;
}

function shortJson(text: string | null): string | undefined {
  if (!text) return undefined;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function describeHistory(entry: HistoryAnnotationSource): { title: string; kind: AnnotationKind; who: string } {
  if (entry.service === "sandbox") {
    const title =
      entry.detail && typeof entry.detail === "object" && "title" in entry.detail
        ? String((entry.detail as { title: unknown }).title)
        : entry.action.replace(/^ScenarioEvent:/, "");
    return { title, kind: "scenario", who: "Sandbox scenario event" };
  }
  const detail = entry.detail && typeof entry.detail === "object" ? (entry.detail as Record<string, unknown>) : {};
  const qualifier = /:function:[^:]+:([^:]+)$/.exec(entry.resource)?.[1];
  switch (entry.action) {
    case "UpdateFunctionConfiguration": {
      const parts = [
        detail.MemorySize !== undefined ? `memory ${String(detail.MemorySize)} MB` : undefined,
        detail.Runtime !== undefined ? `runtime ${String(detail.Runtime)}` : undefined,
        detail.Timeout !== undefined ? `timeout ${String(detail.Timeout)} s` : undefined,
      ].filter(Boolean);
      return { title: `Configuration: ${parts.join(", ") || "updated"}`, kind: "aws", who: "Lambda API" };
    }
    case "PublishVersion":
      return { title: "Published a new version", kind: "aws", who: "Lambda API" };
    case "UpdateAlias":
    case "CreateAlias":
      return {
        title: `Alias ${qualifier ?? ""} → version ${String(detail.FunctionVersion ?? "?")}`,
        kind: "aws",
        who: "Lambda API",
      };
    case "PutProvisionedConcurrencyConfig":
      return {
        title: `Provisioned concurrency ${String(detail.ProvisionedConcurrentExecutions ?? "")} on ${qualifier ?? "?"}`,
        kind: "aws",
        who: "Lambda API",
      };
    case "DeleteProvisionedConcurrencyConfig":
      return { title: `Provisioned concurrency removed from ${qualifier ?? "?"}`, kind: "aws", who: "Lambda API" };
    default:
      return { title: entry.action.replace(/([a-z])([A-Z])/g, "$1 $2"), kind: "aws", who: "AWS API" };
  }
}

/**
 * Merges the three sources for one function within [startMs, endMs), oldest first. Sandbox history
 * entries within two minutes after an audited change are dropped (the audit row says who made them),
 * and consecutive history entries of one change (update, publish, move alias) become one marker.
 */
export function buildAnnotations(
  functionName: string,
  startMs: number,
  endMs: number,
  sources: {
    audit: readonly AuditAnnotationSource[];
    history?: readonly HistoryAnnotationSource[];
    activities?: readonly ScalingActivitySource[];
  },
): Annotation[] {
  const inWindow = (at: number) => at >= startMs && at < endMs;
  const audited: Annotation[] = sources.audit
    .filter((entry) => isFunctionTarget(entry.target, functionName))
    .map((entry) => ({ entry, atMs: Date.parse(entry.at) }))
    .filter(({ atMs }) => inWindow(atMs))
    .map(({ entry, atMs }) => ({
      id: `audit-${entry.id}`,
      atMs,
      kind: entry.action.startsWith("sandbox.") ? ("scenario" as const) : ("change" as const),
      title: `${titleIn(entry.before) ?? titleIn(entry.input) ?? entry.action}${
        entry.outcome === "success" ? "" : ` (${entry.outcome})`
      }`,
      who: entry.actor,
      detail: shortJson(entry.input),
    }));
  const auditTimes = audited.map((annotation) => annotation.atMs);

  const history: Annotation[] = [];
  for (const entry of sources.history ?? []) {
    if (functionOfResource(entry.resource) !== functionName || !inWindow(entry.at)) continue;
    if (auditTimes.some((at) => entry.at >= at && entry.at - at <= sameChangeWindowMs)) continue;
    const described = describeHistory(entry);
    const previous = history.at(-1);
    if (previous && previous.kind === described.kind && entry.at - previous.atMs <= sameChangeWindowMs) {
      previous.detail = previous.detail ? `${previous.detail}; ${described.title}` : described.title;
      continue;
    }
    history.push({ id: `history-${entry.at}-${entry.action}`, atMs: entry.at, ...described });
  }

  const schedules: Annotation[] = (sources.activities ?? [])
    .filter((activity) => functionOfResource(activity.resourceId) === functionName && inWindow(activity.startMs))
    .map((activity) => ({
      id: `activity-${activity.activityId}`,
      atMs: activity.startMs,
      kind: "schedule" as const,
      title: activity.description,
      who: activity.cause || "Application Auto Scaling",
      detail: activity.status === "Successful" ? undefined : `Status: ${activity.status}`,
    }));

  return [...audited, ...history, ...schedules].sort((a, b) => a.atMs - b.atMs || a.id.localeCompare(b.id));
}
