// GET /api/jobs/:id – a job's status and progress, polled by progress bars
import { getJob } from "@/lib/data/jobs";
import { errorResponse } from "@/lib/errors";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const job = await getJob((await params).id);
    return Response.json(job, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
