// GET /api/jobs/:id – a job's status and progress, polled by progress bars
import { getJob } from "@/lib/data/jobs";
import { AppError } from "@/lib/errors";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const job = await getJob((await params).id);
    return Response.json(job, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    const appError = AppError.from(error);
    return Response.json(
      { ok: false, code: appError.code, message: appError.userMessage },
      { status: appError.status },
    );
  }
}
