import { seedDemoUsers } from "@/lib/auth/demo-users";
import { getSandbox } from "@/lib/aws/clients";
import { getConfig } from "@/lib/config";
import { seedReviewsAtStart } from "@/lib/data/reviews";
import { getStore } from "@/lib/db";
import { startJobs } from "@/lib/jobs";

/** Server start-up: a misconfigured Phoenix refuses to start and says why. */
export async function startPhoenix(): Promise<void> {
  let config: ReturnType<typeof getConfig>;
  try {
    config = getConfig();
  } catch (error) {
    console.error(
      `\n${(error as Error).message}\n\nPhoenix did not start. See the configuration table in README.md.\n`,
    );
    process.exit(1);
  }
  // next-auth reads its public URL from the environment itself.
  process.env.NEXTAUTH_URL ??= config.publicUrl;
  const store = await getStore();
  console.log(
    `Phoenix ${config.version}: AWS mode ${config.awsMode}, store ${store.dialect}${
      config.database.kind === "sqlite" ? ` (${config.database.file})` : ""
    }`,
  );
  if (config.awsMode === "sandbox") {
    const users = await seedDemoUsers(store.db);
    console.log("\nSandbox mode: the data is simulated. Demo users (passwords are new at every start):");
    for (const user of users) console.log(`  ${user.role.padEnd(8)}  ${user.username.padEnd(10)}  ${user.password}`);
    console.log("");
    const sandbox = await getSandbox();
    if (sandbox) {
      // Seed (or load) the simulated account now, not on the first page view, and fire scheduled
      // provisioned-concurrency actions on time even when nobody is looking.
      await sandbox.region();
      sandbox.startBackgroundTicker(15_000);
    }
  }
  await startJobs();
  // The review meeting's six action items and its two reviews (idempotent: only what is missing).
  await seedReviewsAtStart();
}
