/** `npm run cache:invalidate -- <userId>`: drops a user's cached configuration (REDIS_URL, REDIS_KEY_PREFIX). */
import { createRedisClient } from "../src/adapters/redis-client.js";
import { createUserConfigCache } from "../src/adapters/user-config-cache.js";
import { loadConfig } from "../src/config.js";

const userId = process.argv[2];
if (userId === undefined) {
  console.error("usage: npm run cache:invalidate -- <userId>");
  process.exit(2);
}
// Only the cache settings matter here; placeholders satisfy the database and bucket variables.
const config = loadConfig({
  DB_HOST: "unused",
  DB_NAME: "unused",
  DB_USER: "unused",
  EXPORT_BUCKET: "unused",
  ...process.env,
});
const redis = createRedisClient({ ...config.cache, connectTimeoutMs: 2000, commandTimeoutMs: 2000 });
if (redis === undefined) {
  console.error("REDIS_URL is not set: there is no cache to invalidate");
  process.exit(2);
}
await createUserConfigCache({ redis, settings: config.cache }).invalidate(userId);
redis.disconnect();
console.log(`invalidated the cached configuration of ${userId}`);
