import type { CsvCell } from "../csv/csv-writer.js";
import type { ExportColumn, UserConfig } from "./user-config.js";

/** A record as the database returns it; `amount` is exact decimal text, already rounded by SQL. */
export interface UserRecordRow {
  record_id: string;
  recorded_at: Date;
  event_type: string;
  amount: string | null;
  currency: string | null;
  status: string;
  note: string | null;
}

// Building an Intl.DateTimeFormat costs far more than using one; a handful of zones is all a warm
// environment ever sees, so keep them. This holds formatters, not user data.
const formatterByTimeZone = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatterByTimeZone.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    });
    formatterByTimeZone.set(timeZone, formatter);
  }
  return formatter;
}

/** ISO 8601 local time with its offset in the user's zone, e.g. `2025-07-22T12:02:15+02:00`. */
export function formatTimestamp(instant: Date, timeZone: string): string {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  // longOffset is "GMT+02:00", or plain "GMT" at offset zero.
  const offset = (parts.timeZoneName ?? "GMT").replace("GMT", "") || "+00:00";
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

export function formatAmount(amount: string | null, config: UserConfig): CsvCell {
  if (amount === null) return null;
  return config.numberFormat.decimalSeparator === "." ? amount : amount.replace(".", ",");
}

function formatCell(row: UserRecordRow, column: ExportColumn, config: UserConfig): CsvCell {
  switch (column) {
    case "record_id":
      return row.record_id;
    case "recorded_at":
      return formatTimestamp(row.recorded_at, config.timeZone);
    case "event_type":
      return row.event_type;
    case "amount":
      return formatAmount(row.amount, config);
    case "currency":
      return row.currency;
    case "status":
      return row.status;
    case "note":
      return row.note;
  }
}

export function formatRecord(row: UserRecordRow, config: UserConfig): CsvCell[] {
  return config.columns.map((column) => formatCell(row, column, config));
}
