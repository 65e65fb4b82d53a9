// GET /api/power-tuning/:runId/export?format=csv|json – one tuning run with every invocation
import { getTuningRunCsv, getTuningRunJson } from "@/lib/data/power-tuning";
import { errorResponse } from "@/lib/errors";

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const format = new URL(request.url).searchParams.get("format") ?? "csv";
  try {
    if (format === "json") {
      const { filename, json } = await getTuningRunJson(runId);
      return new Response(json, {
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-disposition": `attachment; filename="${filename}"`,
          "cache-control": "no-store",
        },
      });
    }
    if (format !== "csv") {
      return Response.json(
        { ok: false, code: "INVALID_INPUT", message: "format must be csv or json" },
        { status: 422 },
      );
    }
    const { filename, csv } = await getTuningRunCsv(runId);
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
