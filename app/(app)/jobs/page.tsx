import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { getRecentJobs } from "@/lib/data/jobs";

export const metadata = { title: "Jobs" };

export default async function JobsPage() {
  const jobs = await getRecentJobs();
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Long work — power tuning, bulk runtime upgrades, provisioned-concurrency provisioning — runs as persisted jobs: they survive a restart, can be cancelled, and clean up after themselves."
      />
      {jobs.length === 0 ? (
        <p className="card text-sm text-muted">No jobs yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-border bg-surface">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Target</th>
                <th scope="col">Started by</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Created (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <td>
                    <Link className="font-mono text-xs underline" href={`/jobs/${job.id}`}>
                      {job.kind}
                    </Link>
                  </td>
                  <td className="font-mono text-xs">{job.target ?? "—"}</td>
                  <td>{job.requestedBy}</td>
                  <td>{job.status}</td>
                  <td className="text-sm text-muted">
                    {job.progress.done}/{job.progress.total} · {job.progress.message}
                  </td>
                  <td className="font-mono text-xs">{job.createdAt.replace("T", " ").slice(0, 19)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
