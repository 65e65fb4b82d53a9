import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";
import { generatePassword } from "./passwords";
import type { Role } from "./roles";
import { createUser, findUserByUsername, resetUserPassword } from "./users";

const demoUsers: { username: string; displayName: string; role: Role }[] = [
  { username: "viewer", displayName: "Demo manager", role: "viewer" },
  { username: "operator", displayName: "Demo DevOps engineer", role: "operator" },
  { username: "admin", displayName: "Demo admin", role: "admin" },
];

/**
 * Sandbox mode only: one user per role, each with a fresh random password printed at start. Fresh at
 * every start because only a hash is stored, and a fixed default password would be a backdoor.
 */
export async function seedDemoUsers(
  db: Kysely<Database>,
): Promise<{ username: string; role: Role; password: string }[]> {
  const seeded = [];
  for (const demo of demoUsers) {
    const password = generatePassword();
    if (await findUserByUsername(db, demo.username)) await resetUserPassword(db, demo.username, password);
    else await createUser(db, { ...demo, password });
    seeded.push({ username: demo.username, role: demo.role, password });
  }
  return seeded;
}
