import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native addon: must be required at run time, not bundled.
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  // Type checking is its own step (`npm run typecheck`, run by `npm test`); not repeating it in every
  // build keeps `npm start` and the browser tests' builds fast.
  typescript: { ignoreBuildErrors: true },
  // Keep `next dev` from writing an AGENTS.md into the repository.
  agentRules: false,
} as NextConfig;

export default nextConfig;
