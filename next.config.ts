import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native addon: must be required at run time, not bundled.
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  // Type checking is its own step (`npm run typecheck`, run by `npm test`); not repeating it in every
  // build keeps `npm start` and the browser tests' builds fast.
  typescript: { ignoreBuildErrors: true },
  // Power tuning's payload field may hold up to Lambda's 6 MB synchronous Invoke limit; the default
  // 1 MB server-action body would reject a valid payload before Phoenix could validate it, and a
  // little above 6 MB still reaches validation, which answers with a field error in words.
  experimental: { serverActions: { bodySizeLimit: "8mb" } },
  // Keep `next dev` from writing an AGENTS.md into the repository.
  agentRules: false,
} as NextConfig;

export default nextConfig;
