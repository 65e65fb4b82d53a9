import "server-only";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { findJob, type JobDto, listJobs, requestJobCancel, toJobDto } from "@/lib/jobs/job-store";

const jobIdSchema = z.uuid("Not a job id");

export async function getJob(id: string): Promise<JobDto> {
  await requireRole("viewer");
  const parsed = jobIdSchema.safeParse(id);
  const row = parsed.success ? await findJob(await getDb(), parsed.data) : undefined;
  if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such job" });
  return toJobDto(row);
}

export async function getRecentJobs(filter: { target?: string; kind?: string } = {}): Promise<JobDto[]> {
  await requireRole("viewer");
  return listJobs(await getDb(), { ...filter, limit: 20 });
}

export const cancelJobAction = defineAction({
  name: "jobs.cancel",
  role: "operator",
  description: "Cancel a running job",
  input: z.object({ jobId: jobIdSchema }),
  async run(input, context) {
    const db = await getDb();
    const row = await findJob(db, input.jobId);
    if (!row) throw new AppError("NOT_FOUND", { userMessage: "No such job" });
    if (row.status !== "queued" && row.status !== "running") {
      throw new AppError("CONFLICT", { userMessage: `The job has already ended (${row.status}).` });
    }
    return context.change({ target: row.target ?? `job:${row.id}`, before: { status: row.status } }, async () => {
      await requestJobCancel(db, row.id);
      return { cancelRequested: true };
    });
  },
});
