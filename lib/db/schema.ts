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

export interface Database {
  sandbox_state: SandboxStateTable;
  users: UsersTable;
  sign_in_failures: SignInFailuresTable;
  audit_log: AuditLogTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
export type AuditRow = Selectable<AuditLogTable>;
