import type pg from "pg";

/**
 * Deterministic demo data: the same arguments give the same rows, so tests and the benchmark can
 * know what an export must contain. Records are spread over the last `spanDays` before `now`.
 */

export interface SeedUser {
  id: string;
  email: string;
  config?: {
    columns: string[];
    timeZone: string;
    decimals: number;
    decimalSeparator: "." | ",";
    retentionDays: number;
  };
  records: number;
}

export interface SeedOptions {
  users: SeedUser[];
  now: Date;
  spanDays: number;
}

const eventTypes = ["login", "export", "purchase", "refund", "settings-change"];
const statuses = ["ok", "pending", "failed"];
// Notes that exercise the CSV writer: commas, quotes, line breaks, unicode, formula-like text.
const notes = [
  null,
  "plain",
  "with, comma",
  'said "hi"',
  "two\nlines",
  "Grüße, 日本",
  "=SUM(A1:A9)",
  "@cmd",
  "-5 units",
];

/** A small deterministic generator (mulberry32), so seeds need no dependency. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seed(client: pg.ClientBase, options: SeedOptions): Promise<void> {
  const random = seededRandom(42);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  for (const user of options.users) {
    await client.query("INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", [
      user.id,
      user.email,
    ]);
    if (user.config !== undefined) {
      const c = user.config;
      await client.query(
        `INSERT INTO user_configs (user_id, columns, time_zone, decimals, decimal_separator, retention_days)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET columns = $2, time_zone = $3, decimals = $4, decimal_separator = $5, retention_days = $6, updated_at = now()`,
        [user.id, c.columns, c.timeZone, c.decimals, c.decimalSeparator, c.retentionDays],
      );
    }
    // One multi-row INSERT per 1,000 records keeps seeding fast without COPY.
    for (let offset = 0; offset < user.records; offset += 1000) {
      const count = Math.min(1000, user.records - offset);
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let index = 0; index < count; index++) {
        const at = new Date(options.now.getTime() - random() * options.spanDays * 86_400_000);
        const row = [
          user.id,
          at,
          pick(eventTypes),
          (random() * 2000 - 500).toFixed(4),
          pick(["EUR", "USD", null]),
          pick(statuses),
          pick(notes),
        ];
        tuples.push(`(${row.map((_, column) => `$${values.length + column + 1}`).join(", ")})`);
        values.push(...row);
      }
      await client.query(
        `INSERT INTO user_records (user_id, recorded_at, event_type, amount, currency, status, note) VALUES ${tuples.join(", ")}`,
        values,
      );
    }
  }
}

/** The demo data set of `npm run db:seed`. */
export const demoUsers: SeedUser[] = [
  {
    id: "user-berlin",
    email: "berlin@example.com",
    config: {
      columns: ["recorded_at", "event_type", "amount", "currency", "note"],
      timeZone: "Europe/Berlin",
      decimals: 2,
      decimalSeparator: ",",
      retentionDays: 30,
    },
    records: 500,
  },
  {
    id: "user-new-york",
    email: "new-york@example.com",
    config: {
      columns: ["record_id", "recorded_at", "status", "amount"],
      timeZone: "America/New_York",
      decimals: 0,
      decimalSeparator: ".",
      retentionDays: 7,
    },
    records: 200,
  },
  { id: "user-defaults", email: "defaults@example.com", records: 50 },
];
