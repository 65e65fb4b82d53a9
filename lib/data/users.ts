import "server-only";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { passwordSchema } from "@/lib/auth/passwords";
import { roleSchema } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import {
  createUser,
  findUserByUsername,
  listUsers,
  newUserSchema,
  resetUserPassword,
  setUserDisabled,
  setUserRole,
  toUserDto,
  type UserDto,
  usernameSchema,
} from "@/lib/auth/users";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

export async function getUsers(): Promise<UserDto[]> {
  await requireRole("admin");
  return listUsers(await getDb());
}

async function currentUser(username: string): Promise<UserDto> {
  const row = await findUserByUsername(await getDb(), username);
  if (!row) throw new AppError("NOT_FOUND", { userMessage: `No user named ${username}` });
  return toUserDto(row);
}

export const createUserAction = defineAction({
  name: "users.create",
  role: "admin",
  description: "Create a user",
  input: newUserSchema,
  async run(input, context) {
    return context.change({ target: `user:${input.username.toLowerCase()}` }, async () =>
      createUser(await getDb(), input),
    );
  },
});

export const setUserRoleAction = defineAction({
  name: "users.set-role",
  role: "admin",
  description: "Change a user's role",
  input: z.object({ username: usernameSchema, role: roleSchema }),
  async run(input, context) {
    const before = await currentUser(input.username);
    if (before.id === context.actor.id && input.role !== "admin") {
      throw new AppError("INVALID_INPUT", { userMessage: "You cannot remove your own admin role; ask another admin." });
    }
    return context.change({ target: `user:${before.username}`, before: { role: before.role } }, async () => {
      const after = await setUserRole(await getDb(), input.username, input.role);
      return { role: after.role };
    });
  },
});

export const resetUserPasswordAction = defineAction({
  name: "users.reset-password",
  role: "admin",
  description: "Reset a user's password",
  input: z.object({ username: usernameSchema, password: passwordSchema }),
  async run(input, context) {
    const before = await currentUser(input.username);
    return context.change({ target: `user:${before.username}` }, async () => {
      await resetUserPassword(await getDb(), input.username, input.password);
      return { passwordChanged: true };
    });
  },
});

export const setUserDisabledAction = defineAction({
  name: "users.set-disabled",
  role: "admin",
  description: "Disable or enable a user",
  input: z.object({
    username: usernameSchema,
    // Forms send strings; "false" must mean false (z.coerce.boolean would make it true).
    disabled: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]),
  }),
  async run(input, context) {
    const before = await currentUser(input.username);
    if (before.id === context.actor.id) {
      throw new AppError("INVALID_INPUT", { userMessage: "You cannot disable your own account." });
    }
    return context.change({ target: `user:${before.username}`, before: { disabled: before.disabled } }, async () => {
      const after = await setUserDisabled(await getDb(), input.username, input.disabled);
      return { disabled: after.disabled };
    });
  },
});
