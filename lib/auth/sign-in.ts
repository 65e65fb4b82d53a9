import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "@/lib/db/schema";
import { verifyPassword } from "./passwords";
import { findUserByUsername, normalizeUsername, toUserDto, type UserDto } from "./users";

export interface SignInLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

export type SignInResult = { ok: true; user: UserDto } | { ok: false; message: string };

// Generous bounds: anything beyond them is not a credential, and hashing a megabyte would be a DoS.
const credentialsSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, "Enter your username")
    .max(200, "That username is too long (at most 200 characters)"),
  password: z.string().min(1, "Enter your password").max(1024, "That password is too long (at most 1024 characters)"),
});

const wrongCredentials = "Wrong username or password.";

/**
 * Checks a username and password. Failures are counted per account and per client address within a
 * window; once either limit is reached, sign-in is refused with a message saying when to retry, even
 * for the right password. A failed attempt writes nothing but those counters.
 */
export async function signInWithPassword(
  db: Kysely<Database>,
  limits: SignInLimits,
  attempt: { username?: unknown; password?: unknown; address: string },
  now: Date = new Date(),
): Promise<SignInResult> {
  const addressKey = `address:${attempt.address.slice(0, 100)}`;
  const parsed = credentialsSchema.safeParse({ username: attempt.username ?? "", password: attempt.password ?? "" });
  if (!parsed.success) {
    const firstIssue = parsed.error.issues[0]?.message ?? wrongCredentials;
    // Empty fields are a slip, not an attack; oversized ones count against the address.
    if (parsed.error.issues.some((issue) => issue.code === "too_big")) await recordFailure(db, limits, addressKey, now);
    return { ok: false, message: firstIssue };
  }
  const { username, password } = parsed.data;
  // Hashing the name bounds the key's size and keeps typed passwords-in-the-username field out of the store.
  const accountKey = `account:${createHash("sha256").update(normalizeUsername(username)).digest("hex")}`;

  const blocked = await blockedFor(db, limits, [accountKey, addressKey], now);
  if (blocked) return { ok: false, message: blocked };

  const user = await findUserByUsername(db, username);
  const passwordMatches = await verifyPassword(password, user?.password_hash);
  if (!user || !passwordMatches || user.disabled === 1) {
    await recordFailure(db, limits, accountKey, now);
    await recordFailure(db, limits, addressKey, now);
    return { ok: false, message: wrongCredentials };
  }
  await db.deleteFrom("sign_in_failures").where("key", "=", accountKey).execute();
  return { ok: true, user: toUserDto(user) };
}

async function blockedFor(
  db: Kysely<Database>,
  limits: SignInLimits,
  keys: string[],
  now: Date,
): Promise<string | undefined> {
  const rows = await db.selectFrom("sign_in_failures").selectAll().where("key", "in", keys).execute();
  for (const row of rows) {
    const limit = row.key.startsWith("account:") ? limits.maxFailuresPerAccount : limits.maxFailuresPerAddress;
    const windowEnds = Date.parse(row.window_started_at) + limits.windowSeconds * 1000;
    if (row.failures >= limit && windowEnds > now.getTime()) {
      const minutes = Math.max(1, Math.ceil((windowEnds - now.getTime()) / 60_000));
      const scope = row.key.startsWith("account:") ? "this account" : "your network address";
      return `Too many failed sign-ins for ${scope}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
    }
  }
  return undefined;
}

async function recordFailure(db: Kysely<Database>, limits: SignInLimits, key: string, now: Date): Promise<void> {
  const at = now.toISOString();
  const windowFloor = new Date(now.getTime() - limits.windowSeconds * 1000).toISOString();
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("sign_in_failures").selectAll().where("key", "=", key).executeTakeFirst();
    if (!row || row.window_started_at < windowFloor) {
      await trx
        .insertInto("sign_in_failures")
        .values({ key, failures: 1, window_started_at: at, last_failure_at: at })
        .onConflict((conflict) =>
          conflict.column("key").doUpdateSet({ failures: 1, window_started_at: at, last_failure_at: at }),
        )
        .execute();
      return;
    }
    await trx
      .updateTable("sign_in_failures")
      .set((eb) => ({ failures: eb("failures", "+", 1), last_failure_at: at }))
      .where("key", "=", key)
      .execute();
  });
}
