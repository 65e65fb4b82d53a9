import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database, UserRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { hashPassword, passwordSchema } from "./passwords";
import { type Role, roleSchema } from "./roles";

/**
 * The user store. These functions do not authorize: callers are the authorized data layer
 * (`lib/data/users.ts`), the sign-in flow and the operator's own command line (`npm run user`).
 */

export const usernameSchema = z
  .string({ error: "Username is required" })
  .trim()
  .min(3, "Username must be at least 3 characters")
  .max(64, "Username must be at most 64 characters")
  .regex(/^[a-z0-9][a-z0-9._@-]*$/i, "Username may contain letters, digits and . _ @ - only");

export const newUserSchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().max(100, "Display name must be at most 100 characters").optional(),
  role: roleSchema,
  password: passwordSchema,
});

/** What the rest of the application may know about a user (never the hash). */
export interface UserDto {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  source: "local" | "oidc";
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    source: row.source,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("username", "=", normalizeUsername(username)).executeTakeFirst();
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listUsers(db: Kysely<Database>): Promise<UserDto[]> {
  const rows = await db.selectFrom("users").selectAll().orderBy("username").execute();
  return rows.map(toUserDto);
}

export async function createUser(db: Kysely<Database>, input: z.input<typeof newUserSchema>): Promise<UserDto> {
  const parsed = newUserSchema.parse(input);
  const username = normalizeUsername(parsed.username);
  if (await findUserByUsername(db, username)) {
    throw new AppError("CONFLICT", { userMessage: `A user named ${username} already exists` });
  }
  const now = new Date().toISOString();
  const row: UserRow = {
    id: randomUUID(),
    username,
    display_name: parsed.displayName || username,
    role: parsed.role,
    password_hash: await hashPassword(parsed.password),
    source: "local",
    disabled: 0,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto("users").values(row).execute();
  return toUserDto(row);
}

async function requireUser(db: Kysely<Database>, username: string): Promise<UserRow> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new AppError("NOT_FOUND", { userMessage: `No user named ${normalizeUsername(username)}` });
  return user;
}

export async function setUserRole(db: Kysely<Database>, username: string, role: Role): Promise<UserDto> {
  const user = await requireUser(db, username);
  const updatedAt = new Date().toISOString();
  await db.updateTable("users").set({ role, updated_at: updatedAt }).where("id", "=", user.id).execute();
  return toUserDto({ ...user, role, updated_at: updatedAt });
}

export async function resetUserPassword(db: Kysely<Database>, username: string, password: string): Promise<UserDto> {
  const parsedPassword = passwordSchema.parse(password);
  const user = await requireUser(db, username);
  if (user.source !== "local") {
    throw new AppError("INVALID_INPUT", {
      userMessage: `${user.username} signs in through single sign-on and has no password`,
    });
  }
  const updatedAt = new Date().toISOString();
  const hash = await hashPassword(parsedPassword);
  await db.updateTable("users").set({ password_hash: hash, updated_at: updatedAt }).where("id", "=", user.id).execute();
  return toUserDto({ ...user, updated_at: updatedAt });
}

export async function setUserDisabled(db: Kysely<Database>, username: string, disabled: boolean): Promise<UserDto> {
  const user = await requireUser(db, username);
  const updatedAt = new Date().toISOString();
  await db
    .updateTable("users")
    .set({ disabled: disabled ? 1 : 0, updated_at: updatedAt })
    .where("id", "=", user.id)
    .execute();
  return toUserDto({ ...user, disabled: disabled ? 1 : 0, updated_at: updatedAt });
}

/** Records (or refreshes) a user who signed in through OIDC, so audit rows and lists can name them. */
export async function upsertOidcUser(
  db: Kysely<Database>,
  profile: { subject: string; username: string; displayName: string; role: Role },
): Promise<UserDto> {
  const now = new Date().toISOString();
  const id = `oidc:${profile.subject}`;
  const existing = await findUserById(db, id);
  if (existing) {
    await db
      .updateTable("users")
      .set({ role: profile.role, display_name: profile.displayName, updated_at: now })
      .where("id", "=", id)
      .execute();
    return toUserDto({ ...existing, role: profile.role, display_name: profile.displayName, updated_at: now });
  }
  const row: UserRow = {
    id,
    // OIDC usernames are namespaced so they can never collide with (or take over) a local account.
    username: `sso:${normalizeUsername(profile.username)}`.slice(0, 200),
    display_name: profile.displayName,
    role: profile.role,
    password_hash: null,
    source: "oidc",
    disabled: 0,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto("users").values(row).execute();
  return toUserDto(row);
}
