import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { ReportView } from "@/components/reviews/report-view";
import { RefreshSnapshotButton } from "@/components/reviews/snapshot-controls";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getReview } from "@/lib/data/reviews";
import { AppError } from "@/lib/errors";

export const metadata = { title: "Review" };

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const page = await getReview(id).catch((error: unknown) => {
    if (AppError.from(error).code === "NOT_FOUND") notFound();
    throw error;
  });
  const user = await getSessionUser();
  const canEdit = user ? hasRole(user.role, "operator") : false;
  return (
    <>
      <PageHeader
        title={page.review.title}
        description={`Meeting ${page.review.meetingDate} · ${page.review.functions.length} functions`}
        actions={
          <>
            <Link href={`/reviews/${id}/print`} className="btn">
              Print view
            </Link>
            <a href={`/api/reviews/${id}/markdown`} className="btn">
              Markdown
            </a>
          </>
        }
      />
      {canEdit ? (
        <div className="mb-4">
          <RefreshSnapshotButton id={id} saved={page.saved} />
        </div>
      ) : null}
      <ReportView report={page.report} saved={page.saved} previous={page.previous} />
    </>
  );
}
