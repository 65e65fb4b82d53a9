import type { Generated, Insertable, Selectable } from "kysely";

/**
 * Column types shared by SQLite and PostgreSQL. Timestamps are ISO-8601 UTC strings in both
 * dialects (they sort correctly as text and need no per-dialect conversion); JSON is stored as text.
 */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: "viewer" | "operator" | "admin";
  /** scrypt hash in PHC-like form; null for users who only sign in through OIDC. */
  password_hash: string | null;
  source: "local" | "oidc";
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface SignInFailuresTable {
  /** `account:<sha256 of the normalized username>` or `address:<client address>`. */
  key: string;
  failures: number;
  window_started_at: string;
  last_failure_at: string;
}

export type AuditResult = "intent" | "success" | "failure" | "denied" | "invalid";

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  request_id: string;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  input: string | null;
  before: string | null;
  after: string | null;
  result: AuditResult;
  error: string | null;
  /** For an outcome row: the intent row it completes. */
  intent_id: number | null;
}

export interface SandboxStateTable {
  key: string;
  snapshot: string;
  updated_at: string;
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface JobsTable {
  id: string;
  kind: string;
  status: JobStatus;
  /** What the job works on, e.g. `function:process-user-request:live` (for finding a function's jobs). */
  target: string | null;
  requested_by: string;
  requested_role: string;
  request_id: string;
  input: string;
  /** The handler's checkpoints (JSON), so a resumed job knows what an earlier attempt did. */
  state: string;
  progress: string;
  result: string | null;
  error: string | null;
  cleanup_error: string | null;
  attempts: number;
  cancel_requested: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export type ActionItemStatus = "todo" | "in_progress" | "blocked" | "done";

export interface ActionItemsTable {
  id: string;
  /** Order set by the meeting (1 = first); reordering rewrites it. */
  position: number;
  title: string;
  /** A Phoenix username or free text ("Tom & David"). */
  owner: string;
  /** YYYY-MM-DD. */
  due_date: string | null;
  status: ActionItemStatus;
  notes: string;
  /** JSON: [{ itemId, reason }] — enforced as warnings. */
  depends_on: string;
  /** JSON: function names the item is about. */
  functions: string;
  /** JSON: the verification check (lib/domain/verification.ts), or null. */
  verification: string | null;
  started_at: string | null;
  done_at: string | null;
  /** Set for the seeded items, so seeding is idempotent. */
  seed_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface ActionItemCommentsTable {
  id: string;
  item_id: string;
  author: string;
  body: string;
  created_at: string;
}

export interface ReviewsTable {
  id: string;
  title: string;
  /** YYYY-MM-DD. */
  meeting_date: string;
  baseline_start: string;
  baseline_end: string;
  current_start: string;
  current_end: string;
  /** JSON: function names. */
  functions: string;
  /** JSON: the report as built (lib/domain/reviews.ts ReviewReport), or null until taken. */
  snapshot: string | null;
  snapshot_at: string | null;
  seed_key: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface Database {
  action_items: ActionItemsTable;
  action_item_comments: ActionItemCommentsTable;
  reviews: ReviewsTable;
  jobs: JobsTable;
  sandbox_state: SandboxStateTable;
  users: UsersTable;
  sign_in_failures: SignInFailuresTable;
  audit_log: AuditLogTable;
}

export type UserRow = Selectable<UsersTable>;
export type ActionItemRow = Selectable<ActionItemsTable>;
export type ActionItemCommentRow = Selectable<ActionItemCommentsTable>;
export type ReviewRow = Selectable<ReviewsTable>;
export type JobRow = Selectable<JobsTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
export type AuditRow = Selectable<AuditLogTable>;

// ---------------------------------------------------------------------------------------------
// Power tuning (issue 9). Declaration merging adds these tables to `Database` above.

export type PowerTuningRunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface PowerTuningRunsTable {
  id: string;
  function_name: string;
  /** The alias the result is for ("" for none). */
  qualifier: string;
  job_id: string | null;
  status: PowerTuningRunStatus;
  requested_by: string;
  /** JSON: memory values, invocations, strategy, weights… (payloads summarized, not stored). */
  settings: string;
  architecture: string | null;
  /** $LATEST memory before the run: "today's" setting the recommendation compares with. */
  baseline_memory_mb: number | null;
  /** JSON: the TuningAnalysis (lib/domain/power-tuning.ts), once the run ended. */
  analysis: string | null;
  /** What the clean-up found or left, in words. */
  notes: string;
  error: string | null;
  applied_memory_mb: number | null;
  applied_at: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface PowerTuningInvocationsTable {
  run_id: string;
  memory_mb: number;
  sequence: number;
  status: "success" | "error" | "timeout";
  duration_ms: number;
  billed_duration_ms: number;
  init_duration_ms: number;
  restore_duration_ms: number;
  billed_restore_duration_ms: number;
  max_memory_used_mb: number;
  error_type: string | null;
  /** The REPORT line as received (null when the log tail held none). */
  report: string | null;
  created_at: string;
}

export interface Database {
  power_tuning_runs: PowerTuningRunsTable;
  power_tuning_invocations: PowerTuningInvocationsTable;
}

export type PowerTuningRunRow = Selectable<PowerTuningRunsTable>;
export type PowerTuningInvocationRow = Selectable<PowerTuningInvocationsTable>;
