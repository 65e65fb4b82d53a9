import { notFound } from "next/navigation";
import { JobProgress } from "@/components/jobs/job-progress";
import { PageHeader } from "@/components/page-header";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getJob } from "@/lib/data/jobs";
import { AppError } from "@/lib/errors";

export const metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const job = await getJob(id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const user = await getSessionUser();
  return (
    <>
      <PageHeader
        title={`Job: ${job.kind}`}
        description={`Started by ${job.requestedBy} at ${job.createdAt.replace("T", " ").slice(0, 19)} UTC${job.target ? ` on ${job.target}` : ""}.`}
      />
      <JobProgress initial={job} canCancel={user ? hasRole(user.role, "operator") : false} />
    </>
  );
}
