/**
 * npm run user -- <command>: manage Phoenix users from the server's shell (the first admin of a real
 * deployment is created here). Every change is written to the audit log as actor `cli:<os user>`.
 */
import { randomUUID } from "node:crypto";
import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { recordChange } from "@/lib/audit";
import { generatePassword } from "@/lib/auth/passwords";
import { roleSchema } from "@/lib/auth/roles";
import { createUser, listUsers, resetUserPassword, setUserRole, usernameSchema } from "@/lib/auth/users";
import { getConfig } from "@/lib/config";
import { openStore } from "@/lib/db";
import { AppError } from "@/lib/errors";

const usage = `Usage: npm run user -- <command>

  add <username> --role <viewer|operator|admin> [--name "Display Name"] [--generate]
  list
  set-role <username> <viewer|operator|admin>
  reset-password <username> [--generate]

Passwords are read from standard input (piped) or asked for at the prompt; --generate creates a
strong one and prints it once. Passwords on the command line would end up in shell history.`;

async function readPassword(generate: boolean): Promise<string> {
  if (generate) return generatePassword();
  const input = process.stdin;
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
  }
  const rl = createInterface({ input, output: process.stdout, terminal: true });
  // Mute the echo while typing.
  (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
  process.stdout.write("Password: ");
  const password = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stdout.write("\n");
  return password;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: "string" }, name: { type: "string" }, generate: { type: "boolean", default: false } },
  });
  const [command, ...rest] = positionals;
  if (!command || command === "help") {
    console.log(usage);
    return command ? 0 : 2;
  }
  const config = getConfig();
  const store = await openStore(config.database);
  await store.ready;
  const db = store.db;
  const audit = { requestId: randomUUID(), actor: `cli:${userInfo().username}`, role: "admin" };

  const audited = <T>(action: string, target: string, input: unknown, perform: () => Promise<T>) =>
    recordChange(db, { ...audit, action }, { target, input }, perform, (error) => AppError.from(error).userMessage);

  try {
    switch (command) {
      case "list": {
        const users = await listUsers(db);
        for (const user of users) {
          console.log(
            `${user.username.padEnd(24)} ${user.role.padEnd(9)} ${user.source.padEnd(6)} ${user.disabled ? "disabled" : "active"}`,
          );
        }
        if (users.length === 0) console.log("No users yet. Add one with: npm run user -- add <username> --role admin");
        return 0;
      }
      case "add": {
        const username = usernameSchema.parse(rest[0]);
        const role = roleSchema.parse(values.role);
        const password = await readPassword(values.generate ?? false);
        const user = await audited("users.create", `user:${username.toLowerCase()}`, { username, role }, () =>
          createUser(db, { username, role, displayName: values.name, password }),
        );
        console.log(`Created ${user.username} (${user.role}).`);
        if (values.generate) console.log(`Password (shown once): ${password}`);
        return 0;
      }
      case "set-role": {
        const username = usernameSchema.parse(rest[0]);
        const role = roleSchema.parse(rest[1]);
        const user = await audited("users.set-role", `user:${username.toLowerCase()}`, { username, role }, async () => {
          const updated = await setUserRole(db, username, role);
          return { role: updated.role };
        });
        console.log(`${username} is now ${user.role}.`);
        return 0;
      }
      case "reset-password": {
        const username = usernameSchema.parse(rest[0]);
        const password = await readPassword(values.generate ?? false);
        await audited("users.reset-password", `user:${username.toLowerCase()}`, { username }, async () => {
          await resetUserPassword(db, username, password);
          return { passwordChanged: true };
        });
        console.log(`Password of ${username} reset.`);
        if (values.generate) console.log(`Password (shown once): ${password}`);
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    console.error(`Error: ${AppError.from(error).userMessage}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
