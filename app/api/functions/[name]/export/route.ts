// GET /api/functions/:name/export – the function page's chart data (same range and options) as CSV
import { getFunctionChartCsv } from "@/lib/data/latency";
import { parseFunctionPageParams } from "@/lib/domain/latency-params";
import { AppError } from "@/lib/errors";

export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const parsed = parseFunctionPageParams(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const csv = await getFunctionChartCsv(name, parsed.selection, { averageAndMaximum: parsed.averageAndMaximum });
    const safeName = name.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 64);
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="phoenix-${safeName}-${parsed.selection.range}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    const appError = AppError.from(error);
    return Response.json(
      { ok: false, code: appError.code, message: appError.userMessage },
      { status: appError.status },
    );
  }
}
