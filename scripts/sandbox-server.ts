/**
 * `npm run sandbox`: the embedded AWS on 127.0.0.1:4566 for any SDK or CLI
 * (e.g. `aws --endpoint-url http://127.0.0.1:4566 lambda list-functions`).
 *
 * Environment: PORT (4566), HOST (127.0.0.1), SEED ("phoenix"), SCENARIO (meeting | followup),
 * SPEED (1 = real time; 60 = one simulated minute per second), START (ISO instant the simulated clock
 * starts at; default now), SANDBOX_THROTTLE_RATE, SANDBOX_ERROR_RATE, SANDBOX_LATENCY_MS,
 * SANDBOX_STUCK_UPDATES (faults), SANDBOX_ADMIN=1 (serve /_sandbox/faults and /_sandbox/scenario-events).
 */
import { AcceleratedClock, createSandbox, faultsFromEnvironment, startSandboxServer, systemClock } from "@/lib/sandbox";

const environment = process.env;
const port = Number(environment.PORT ?? 4566);
const speed = Number(environment.SPEED ?? 1);
const scenario = environment.SCENARIO ?? "meeting";
if (!Number.isInteger(port) || port < 0 || port > 65535)
  throw new Error(`PORT must be a port number, got ${environment.PORT}`);
if (!(speed > 0)) throw new Error(`SPEED must be a positive number, got ${environment.SPEED}`);
if (scenario !== "meeting" && scenario !== "followup")
  throw new Error(`SCENARIO must be meeting or followup, got ${scenario}`);
const start = environment.START ? new Date(environment.START) : new Date();
if (Number.isNaN(start.getTime())) throw new Error(`START must be an ISO date, got ${environment.START}`);

const clock = speed === 1 && !environment.START ? systemClock : new AcceleratedClock(speed, start);
const sandbox = createSandbox({
  seed: environment.SEED ?? "phoenix",
  scenario,
  clock,
  faults: faultsFromEnvironment(environment),
  adminApi: environment.SANDBOX_ADMIN === "1" || environment.SANDBOX_ADMIN === "true",
});
await sandbox.region(); // seed before the first request
const server = await startSandboxServer({ sandbox, port, host: environment.HOST ?? "127.0.0.1" });
// Scheduled actions fire on time even when nobody calls the API.
const stopTicker = sandbox.startBackgroundTicker(Math.max(50, Math.round(1000 / speed)));
console.log(
  `Phoenix sandbox AWS on ${server.url} (scenario ${scenario}, seed ${sandbox.seed}, speed ×${speed}, simulated now ${clock.now().toISOString()})`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    stopTicker();
    server.close().finally(() => process.exit(0));
  });
}
