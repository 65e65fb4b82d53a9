import "server-only";
import { type AuditEntry, type AuditFilter, auditFacets, auditFilterSchema, queryAudit } from "@/lib/audit";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { toCsv } from "@/lib/domain/csv";

export const auditPageSize = 50;
const exportLimit = 10_000;

/** Parses filter values from a URL; invalid values are dropped rather than failing the page. */
export function parseAuditFilter(params: Record<string, string | string[] | undefined>): AuditFilter {
  const flat = Object.fromEntries(
    Object.entries(params)
      .map(([key, value]) => [key, Array.isArray(value) ? value[0] : value])
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const result: AuditFilter = {};
  for (const key of Object.keys(auditFilterSchema.shape) as (keyof AuditFilter)[]) {
    const parsed = auditFilterSchema.shape[key].safeParse(flat[key]);
    if (parsed.success && parsed.data !== undefined) Object.assign(result, { [key]: parsed.data });
  }
  return result;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextBefore?: number;
  facets: { actors: string[]; actions: string[] };
}

/** Viewers may read the audit log: it is how managers see who changed what. */
export async function getAuditPage(filter: AuditFilter): Promise<AuditPage> {
  await requireRole("viewer");
  const db = await getDb();
  const [entries, facets] = await Promise.all([queryAudit(db, filter, auditPageSize + 1), auditFacets(db)]);
  const hasMore = entries.length > auditPageSize;
  const page = entries.slice(0, auditPageSize);
  return { entries: page, nextBefore: hasMore ? page.at(-1)?.id : undefined, facets };
}

export async function getAuditCsv(filter: AuditFilter): Promise<string> {
  await requireRole("viewer");
  const entries = await queryAudit(await getDb(), { ...filter, before: undefined }, exportLimit);
  return toCsv(
    [
      "id",
      "time",
      "actor",
      "role",
      "action",
      "target",
      "outcome",
      "input",
      "before",
      "after",
      "error",
      "completed",
      "request id",
    ],
    entries.map((entry) => [
      entry.id,
      entry.at,
      entry.actor,
      entry.role,
      entry.action,
      entry.target,
      entry.outcome,
      entry.input,
      entry.before,
      entry.after,
      entry.error,
      entry.completedAt,
      entry.requestId,
    ]),
  );
}
