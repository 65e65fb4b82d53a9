/**
 * Runs once per server process before the first request: validate configuration, migrate the store,
 * seed sandbox demo users. Later background work (sandbox schedules, persisted jobs) starts here too,
 * never from a page or module scope.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startPhoenix } = await import("@/lib/startup");
  await startPhoenix();
}
