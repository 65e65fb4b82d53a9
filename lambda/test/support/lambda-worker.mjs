// A minimal stand-in for the Lambda Node.js runtime, run by plain `node` (no TypeScript loader, so
// its start-up is what a real cold start pays): it imports a bundled handler module (the INIT
// phase), then serves invocations sent over the IPC channel one at a time, as an execution
// environment does. Used by the bundle test and by bench/handler. Plain JavaScript on purpose:
// a loader for TypeScript would add its own start-up time to every cold start measured.
import { pathToFileURL } from "node:url";

const modulePath = process.argv[2];
const importStarted = performance.now();
let loaded;
try {
  loaded = await import(pathToFileURL(modulePath).href);
} catch (error) {
  // What the Lambda runtime reports as Runtime.ImportModuleError / an init failure.
  process.send({ type: "init-error", errorType: error?.name, errorMessage: error?.message });
  process.exit(1);
}
const importMs = performance.now() - importStarted;
const handler = loaded.handler;

let queue = Promise.resolve();
process.on("message", (message) => {
  if (message.type === "stats") {
    process.send({ type: "stats", stats: loaded.environmentStats ?? loaded.baselineStats ?? null });
    return;
  }
  if (message.type !== "invoke") return;
  // One invocation at a time per environment, like Lambda.
  queue = queue.then(async () => {
    const started = performance.now();
    const response = await handler(message.event, { awsRequestId: message.requestId });
    process.send({ type: "result", id: message.id, response, durationMs: performance.now() - started });
  });
});
// The driver (a test or the benchmark) is gone: so is this environment, rather than linger orphaned.
process.on("disconnect", () => process.exit(0));
process.send({ type: "ready", importMs, sinceProcessStartMs: performance.now() });
