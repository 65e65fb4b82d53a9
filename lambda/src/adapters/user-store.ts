import { HandlerError } from "../errors.js";
import type { UserRecordRow } from "../service/record-format.js";
import { defaultUserConfig, type UserConfigLookup, userConfigSchema } from "../service/user-config.js";
import type { PostgresConnection, QueryTiming } from "./postgres-connection.js";

/** The SQL the handler runs; schema in `db/migrations`. Reads only, so a retry is always safe. */

interface UserConfigRow {
  user_id: string;
  columns: string[] | null;
  time_zone: string | null;
  decimals: number | null;
  decimal_separator: string | null;
  retention_days: number | null;
}

const selectUserConfig = `
  SELECT u.id AS user_id, c.columns, c.time_zone, c.decimals, c.decimal_separator, c.retention_days
  FROM users u LEFT JOIN user_configs c ON c.user_id = u.id
  WHERE u.id = $1`;

export async function loadUserConfigFromDatabase(
  db: PostgresConnection,
  userId: string,
  timing?: QueryTiming,
): Promise<UserConfigLookup> {
  const [row] = await db.query<UserConfigRow>(selectUserConfig, [userId], timing);
  if (row === undefined) return { found: false };
  if (row.columns === null) return { found: true, config: defaultUserConfig };
  const parsed = userConfigSchema.safeParse({
    columns: row.columns,
    timeZone: row.time_zone,
    numberFormat: { decimals: row.decimals, decimalSeparator: row.decimal_separator },
    retentionDays: row.retention_days,
  });
  if (!parsed.success) {
    throw new HandlerError("INTERNAL", `Stored configuration of user ${userId} is invalid: ${parsed.error.message}`);
  }
  return { found: true, config: parsed.data };
}

// Keyset pagination on the (user_id, recorded_at DESC, id DESC) index: every page is an index range
// scan, however deep, and memory holds one page at a time.
const selectRecordsColumns = `
  SELECT id::text AS record_id, recorded_at, event_type, round(amount, $3)::text AS amount, currency, status, note
  FROM user_records`;
const selectFirstPage = `${selectRecordsColumns}
  WHERE user_id = $1 AND recorded_at >= $2
  ORDER BY recorded_at DESC, id DESC LIMIT $4`;
const selectNextPage = `${selectRecordsColumns}
  WHERE user_id = $1 AND recorded_at >= $2 AND (recorded_at, id) < ($5, $6::bigint)
  ORDER BY recorded_at DESC, id DESC LIMIT $4`;

export interface RecordPageQuery {
  userId: string;
  since: Date;
  decimals: number;
  maxRows: number;
  pageRows: number;
}

/** The user's records newest first, in pages, up to `maxRows`. */
export async function* readRecentRecords(
  db: PostgresConnection,
  query: RecordPageQuery,
  timing?: QueryTiming,
): AsyncGenerator<UserRecordRow[]> {
  let remaining = query.maxRows;
  let last: UserRecordRow | undefined;
  while (remaining > 0) {
    const limit = Math.min(query.pageRows, remaining);
    const rows =
      last === undefined
        ? await db.query<UserRecordRow>(selectFirstPage, [query.userId, query.since, query.decimals, limit], timing)
        : await db.query<UserRecordRow>(
            selectNextPage,
            [query.userId, query.since, query.decimals, limit, last.recorded_at, last.record_id],
            timing,
          );
    if (rows.length > 0) yield rows;
    if (rows.length < limit) return;
    remaining -= rows.length;
    last = rows[rows.length - 1];
  }
}
