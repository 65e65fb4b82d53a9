import { z } from "zod";

/** viewer = managers (read), operator = DevOps (change AWS settings), admin = users and sandbox. */
export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];
export const roleSchema = z.enum(roles, { error: "Role must be one of viewer, operator, admin" });

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Roles are ordered: an admin may do everything an operator may, an operator everything a viewer may. */
export function hasRole(actual: Role, required: Role): boolean {
  return rank[actual] >= rank[required];
}

export const roleLabels: Record<Role, string> = {
  viewer: "Viewer",
  operator: "Operator",
  admin: "Admin",
};

/** The highest role any of the user's groups maps to, or undefined when none does. */
export function roleFromGroups(groups: readonly string[], groupsByRole: Record<Role, string[]>): Role | undefined {
  for (const role of [...roles].reverse()) {
    if (groupsByRole[role].some((group) => groups.includes(group))) return role;
  }
  return undefined;
}
