import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getAuthOptions } from "./options";
import { hasRole, type Role } from "./roles";
import { findUserById } from "./users";

export interface SessionUser {
  id: string;
  username: string;
  name: string;
  role: Role;
}

/**
 * The signed-in user for this request, checked against the store: a deleted or disabled account has
 * no session even while its token is still valid, and the role is always the current one.
 * Deduplicated per request with React's cache.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(getAuthOptions());
  if (!session?.user?.id) return null;
  const stored = await findUserById(await getDb(), session.user.id);
  if (!stored || stored.disabled === 1) return null;
  return { id: stored.id, username: stored.username, name: stored.display_name, role: stored.role };
});

/** For data reads: the signed-in user holding at least `role`, or an AppError (401/403). */
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHENTICATED", { userMessage: "Please sign in." });
  if (!hasRole(user.role, role)) {
    throw new AppError("FORBIDDEN", { userMessage: `This needs the ${role} role; you are signed in as ${user.role}.` });
  }
  return user;
}
