// npm start: build when needed, then run the production server. Migrations, the sandbox and the demo
// users are set up by the server itself (instrumentation.ts), so the server alone is enough too.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfStale } from "./build-if-stale.mjs";

const root = path.resolve(import.meta.dirname, "..");
try {
  buildIfStale();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
const server = spawn(process.execPath, [next, "start", "-p", process.env.PORT ?? "3000"], {
  cwd: root,
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
