// Child process for the crash test: commits audit rows one at a time and reports each committed id.
import { appendAudit } from "@/lib/audit";
import { openStore } from "@/lib/db";

const file = process.argv[2];
if (!file) throw new Error("usage: write-loop.ts <sqlite file>");
const store = await openStore({ kind: "sqlite", file });
await store.ready;
for (let index = 0; ; index += 1) {
  const id = await appendAudit(store.db, {
    requestId: `loop-${index}`,
    actor: "crash-test",
    role: "admin",
    action: "test.write",
    input: { index, padding: "x".repeat(200) },
    result: "success",
  });
  // Printed only after the commit returned: every id the parent sees must survive the kill.
  process.stdout.write(`${id}\n`);
}
