// Runs s3rver in a process of its own, so that a benchmark's S3 server does not share an event
// loop with the process that drives and times the execution environments. Plain JavaScript, run
// by node; prints the port on its IPC channel and serves until killed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";

const directory = mkdtempSync(path.join(tmpdir(), "phoenix-s3-"));
const server = new S3rver({
  port: 0,
  address: "127.0.0.1",
  silent: true,
  directory,
  configureBuckets: [{ name: process.argv[2] ?? "phoenix-exports" }],
});
const { port } = await server.run();
process.send({ type: "ready", port });
process.on("SIGTERM", async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
  process.exit(0);
});
