import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";

type Dialect = "sqlite" | "postgres";

/**
 * Migrations are code (not files read at run time) so they survive bundling by Next. Each one is
 * written once for both dialects; where the dialects differ the branch says why.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    "0001_users_auth_audit": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("users")
          .ifNotExists()
          .addColumn("id", "text", (col) => col.primaryKey())
          .addColumn("username", "text", (col) => col.notNull().unique())
          .addColumn("display_name", "text", (col) => col.notNull())
          .addColumn("role", "text", (col) => col.notNull())
          .addColumn("password_hash", "text")
          .addColumn("source", "text", (col) => col.notNull())
          .addColumn("disabled", "integer", (col) => col.notNull().defaultTo(0))
          .addColumn("created_at", "text", (col) => col.notNull())
          .addColumn("updated_at", "text", (col) => col.notNull())
          .execute();

        await db.schema
          .createTable("sign_in_failures")
          .ifNotExists()
          .addColumn("key", "text", (col) => col.primaryKey())
          .addColumn("failures", "integer", (col) => col.notNull())
          .addColumn("window_started_at", "text", (col) => col.notNull())
          .addColumn("last_failure_at", "text", (col) => col.notNull())
          .execute();

        await db.schema
          .createTable("audit_log")
          .ifNotExists()
          .addColumn("id", dialect === "postgres" ? "bigserial" : "integer", (col) =>
            dialect === "postgres" ? col.primaryKey() : col.primaryKey().autoIncrement(),
          )
          .addColumn("at", "text", (col) => col.notNull())
          .addColumn("request_id", "text", (col) => col.notNull())
          .addColumn("actor", "text", (col) => col.notNull())
          .addColumn("role", "text", (col) => col.notNull())
          .addColumn("action", "text", (col) => col.notNull())
          .addColumn("target", "text")
          .addColumn("input", "text")
          .addColumn("before", "text")
          .addColumn("after", "text")
          .addColumn("result", "text", (col) => col.notNull())
          .addColumn("error", "text")
          .addColumn("intent_id", "bigint")
          .execute();
        await db.schema.createIndex("audit_log_at").ifNotExists().on("audit_log").column("at").execute();
        await db.schema.createIndex("audit_log_intent").ifNotExists().on("audit_log").column("intent_id").execute();

        // The audit log is append-only at the database level too, so no code path can rewrite history.
        if (dialect === "sqlite") {
          await sql`CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
          await sql`CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
        } else {
          await sql`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql`.execute(db);
          await sql`DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log`.execute(db);
          await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
        }
      },
    },
    "0002_sandbox_state": {
      async up(db: Kysely<unknown>) {
        // One JSON snapshot per sandbox account/region: a restart keeps every change made through the APIs.
        await db.schema
          .createTable("sandbox_state")
          .ifNotExists()
          .addColumn("key", "text", (col) => col.primaryKey())
          .addColumn("snapshot", "text", (col) => col.notNull())
          .addColumn("updated_at", "text", (col) => col.notNull())
          .execute();
      },
    },
    "0003_jobs": {
      async up(db: Kysely<unknown>) {
        // Long work (power tuning, bulk upgrades, PC provisioning) as persisted jobs: a restart resumes
        // them from their checkpoint, and a lease keeps two servers from running one job twice.
        await db.schema
          .createTable("jobs")
          .ifNotExists()
          .addColumn("id", "text", (col) => col.primaryKey())
          .addColumn("kind", "text", (col) => col.notNull())
          .addColumn("status", "text", (col) => col.notNull())
          .addColumn("target", "text")
          .addColumn("requested_by", "text", (col) => col.notNull())
          .addColumn("requested_role", "text", (col) => col.notNull())
          .addColumn("request_id", "text", (col) => col.notNull())
          .addColumn("input", "text", (col) => col.notNull())
          .addColumn("state", "text", (col) => col.notNull())
          .addColumn("progress", "text", (col) => col.notNull())
          .addColumn("result", "text")
          .addColumn("error", "text")
          .addColumn("cleanup_error", "text")
          .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
          .addColumn("cancel_requested", "integer", (col) => col.notNull().defaultTo(0))
          .addColumn("lease_owner", "text")
          .addColumn("lease_expires_at", "text")
          .addColumn("created_at", "text", (col) => col.notNull())
          .addColumn("updated_at", "text", (col) => col.notNull())
          .addColumn("finished_at", "text")
          .execute();
        await db.schema.createIndex("jobs_status").ifNotExists().on("jobs").columns(["status", "created_at"]).execute();
        await db.schema.createIndex("jobs_target").ifNotExists().on("jobs").columns(["target", "created_at"]).execute();
      },
    },
    "0004_action_items_reviews": {
      async up(db: Kysely<unknown>) {
        // The review meeting's action items (ordered, with dependencies and a verification check) and
        // the review reports, each saved as a snapshot so it reads the same after CloudWatch ages out.
        await db.schema
          .createTable("action_items")
          .ifNotExists()
          .addColumn("id", "text", (col) => col.primaryKey())
          .addColumn("position", "integer", (col) => col.notNull())
          .addColumn("title", "text", (col) => col.notNull())
          .addColumn("owner", "text", (col) => col.notNull())
          .addColumn("due_date", "text")
          .addColumn("status", "text", (col) => col.notNull())
          .addColumn("notes", "text", (col) => col.notNull())
          .addColumn("depends_on", "text", (col) => col.notNull())
          .addColumn("functions", "text", (col) => col.notNull())
          .addColumn("verification", "text")
          .addColumn("started_at", "text")
          .addColumn("done_at", "text")
          .addColumn("seed_key", "text", (col) => col.unique())
          .addColumn("created_at", "text", (col) => col.notNull())
          .addColumn("updated_at", "text", (col) => col.notNull())
          .execute();
        await db.schema
          .createTable("action_item_comments")
          .ifNotExists()
          .addColumn("id", "text", (col) => col.primaryKey())
          .addColumn("item_id", "text", (col) => col.notNull().references("action_items.id").onDelete("cascade"))
          .addColumn("author", "text", (col) => col.notNull())
          .addColumn("body", "text", (col) => col.notNull())
          .addColumn("created_at", "text", (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex("action_item_comments_item")
          .ifNotExists()
          .on("action_item_comments")
          .columns(["item_id", "created_at"])
          .execute();
        await db.schema
          .createTable("reviews")
          .ifNotExists()
          .addColumn("id", "text", (col) => col.primaryKey())
          .addColumn("title", "text", (col) => col.notNull())
          .addColumn("meeting_date", "text", (col) => col.notNull())
          .addColumn("baseline_start", "text", (col) => col.notNull())
          .addColumn("baseline_end", "text", (col) => col.notNull())
          .addColumn("current_start", "text", (col) => col.notNull())
          .addColumn("current_end", "text", (col) => col.notNull())
          .addColumn("functions", "text", (col) => col.notNull())
          .addColumn("snapshot", "text")
          .addColumn("snapshot_at", "text")
          .addColumn("seed_key", "text", (col) => col.unique())
          .addColumn("created_by", "text", (col) => col.notNull())
          .addColumn("created_at", "text", (col) => col.notNull())
          .addColumn("updated_at", "text", (col) => col.notNull())
          .execute();
        await db.schema.createIndex("reviews_meeting").ifNotExists().on("reviews").column("meeting_date").execute();
      },
    },
    "0005_power_tuning": {
      async up(db: Kysely<unknown>) {
        // Power-tuning runs (remembered per function, for history and before/after comparisons) and
        // one row per invocation: the figures and the raw REPORT line. The composite key makes a
        // resumed run's retried insert a no-op instead of a double count.
        const real = dialect === "postgres" ? "double precision" : "real";
        await db.schema
          .createTable("power_tuning_runs")
          .ifNotExists()
          .addColumn("id", "text", (col) => col.primaryKey())
          .addColumn("function_name", "text", (col) => col.notNull())
          .addColumn("qualifier", "text", (col) => col.notNull())
          .addColumn("job_id", "text")
          .addColumn("status", "text", (col) => col.notNull())
          .addColumn("requested_by", "text", (col) => col.notNull())
          .addColumn("settings", "text", (col) => col.notNull())
          .addColumn("architecture", "text")
          .addColumn("baseline_memory_mb", "integer")
          .addColumn("analysis", "text")
          .addColumn("notes", "text", (col) => col.notNull().defaultTo(""))
          .addColumn("error", "text")
          .addColumn("applied_memory_mb", "integer")
          .addColumn("applied_at", "text")
          .addColumn("created_at", "text", (col) => col.notNull())
          .addColumn("finished_at", "text")
          .execute();
        await db.schema
          .createIndex("power_tuning_runs_function")
          .ifNotExists()
          .on("power_tuning_runs")
          .columns(["function_name", "created_at"])
          .execute();
        await db.schema
          .createTable("power_tuning_invocations")
          .ifNotExists()
          .addColumn("run_id", "text", (col) => col.notNull().references("power_tuning_runs.id").onDelete("cascade"))
          .addColumn("memory_mb", "integer", (col) => col.notNull())
          .addColumn("sequence", "integer", (col) => col.notNull())
          .addColumn("status", "text", (col) => col.notNull())
          .addColumn("duration_ms", real, (col) => col.notNull())
          .addColumn("billed_duration_ms", real, (col) => col.notNull())
          .addColumn("init_duration_ms", real, (col) => col.notNull())
          .addColumn("restore_duration_ms", real, (col) => col.notNull())
          .addColumn("billed_restore_duration_ms", real, (col) => col.notNull())
          .addColumn("max_memory_used_mb", "integer", (col) => col.notNull())
          .addColumn("error_type", "text")
          .addColumn("report", "text")
          .addColumn("created_at", "text", (col) => col.notNull())
          .addPrimaryKeyConstraint("power_tuning_invocations_pk", ["run_id", "memory_mb", "sequence"])
          .execute();
      },
    },
  };
}

/** Applies every pending migration; safe to call at every start and from several processes. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName;
    throw new Error(`Store migration ${failed ?? ""} failed: ${String(error)}`, { cause: error });
  }
}
