import { notFound } from "next/navigation";
import { ReportView } from "@/components/reviews/report-view";
import { PrintButton } from "@/components/reviews/snapshot-controls";
import { getReview } from "@/lib/data/reviews";
import { AppError } from "@/lib/errors";

export const metadata = { title: "Review (print)" };

/** Print-friendly: one column, no navigation controls; the browser's print dialog makes the PDF. */
export default async function ReviewPrintPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const page = await getReview(id).catch((error: unknown) => {
    if (AppError.from(error).code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <div className="review-print mx-auto max-w-4xl">
      <style>{`@media print { nav, header, [role="note"], .skip-link { display: none !important; } main { padding: 0 !important; } .card { break-inside: avoid; } }`}</style>
      <div className="mb-4 flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{page.review.title}</h1>
          <p className="text-sm text-muted">Meeting {page.review.meetingDate}</p>
        </div>
        <PrintButton />
      </div>
      <ReportView report={page.report} saved={page.saved} previous={page.previous} />
    </div>
  );
}
