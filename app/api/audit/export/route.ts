// GET /api/audit/export – the audit log (with the page's filters) as CSV
import { getAuditCsv, parseAuditFilter } from "@/lib/data/audit";
import { errorResponse } from "@/lib/errors";

export async function GET(request: Request) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  try {
    const csv = await getAuditCsv(parseAuditFilter(params));
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="phoenix-audit-${stamp}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
