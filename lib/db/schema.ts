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

export interface Database {
  jobs: JobsTable;
  sandbox_state: SandboxStateTable;
  users: UsersTable;
  sign_in_failures: SignInFailuresTable;
  audit_log: AuditLogTable;
}

export type UserRow = Selectable<UsersTable>;
export type JobRow = Selectable<JobsTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
export type AuditRow = Selectable<AuditLogTable>;
