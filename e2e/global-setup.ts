/**
 * Builds the production server once for all browser test files (when a source changed since the last
 * build); each file then starts its own server from that build (e2e/support/server.ts).
 */
export default async function setup() {
  // @ts-expect-error plain ESM helper shared with `npm start`, no type declarations
  const { buildIfStale } = await import("../scripts/build-if-stale.mjs");
  buildIfStale();
}
