// GET /api/health – store reachability, AWS mode and version, for load balancers and humans
import { sql } from "kysely";
import { getConfig } from "@/lib/config";
import { getStore } from "@/lib/db";

export const dynamic = "force-dynamic";

export async function GET() {
  const config = getConfig();
  let store: { ok: boolean; dialect?: string; error?: string };
  try {
    const { db, dialect } = await getStore();
    await sql`select 1`.execute(db);
    store = { ok: true, dialect };
  } catch (error) {
    console.error("[health] store unreachable", error);
    store = { ok: false, error: "store unreachable" };
  }
  return Response.json(
    { status: store.ok ? "ok" : "degraded", version: config.version, awsMode: config.awsMode, store },
    { status: store.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
