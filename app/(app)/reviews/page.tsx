import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { CreateReviewForm } from "@/components/reviews/create-review-form";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getReviews } from "@/lib/data/reviews";
import { formatDuration } from "@/lib/domain/latency";
import { formatDelta } from "@/lib/domain/reviews";
import { formatWindow } from "@/lib/domain/reviews-format";

export const metadata = { title: "Reviews" };

export default async function ReviewsPage() {
  const [reviews, user] = await Promise.all([getReviews(), getSessionUser()]);
  const canCreate = user ? hasRole(user.role, "operator") : false;
  return (
    <>
      <PageHeader
        title="Reviews"
        description="Review reports: baseline against current window, per function and in total, with the action items, the changes in between and the open risks. Each is saved as a snapshot and has a permanent link."
      />
      <ul className="flex flex-col gap-3" data-testid="reviews">
        {reviews.map((review) => (
          <li key={review.id} className="card">
            <h2 className="font-semibold">
              <Link href={`/reviews/${review.id}`} className="hover:underline">
                {review.title}
              </Link>
            </h2>
            <p className="text-xs text-muted">
              Meeting {review.meetingDate} · baseline {formatWindow(review.baseline)} · current{" "}
              {formatWindow(review.current)} ·{" "}
              {review.snapshotAt
                ? `snapshot ${review.snapshotAt.slice(0, 16).replace("T", " ")} UTC`
                : "no snapshot yet"}
            </p>
            {review.headline ? (
              <p className="mt-1 text-sm">
                {review.headline.functionName} p90 {formatDuration(review.headline.baselineP90)} →{" "}
                {formatDuration(review.headline.currentP90)} (
                {formatDelta(review.headline.baselineP90, review.headline.currentP90)})
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {canCreate ? (
        <section className="mt-8">
          <h2 className="mb-2 text-lg font-semibold">New review</h2>
          <CreateReviewForm today={new Date().toISOString().slice(0, 10)} />
        </section>
      ) : null}
    </>
  );
}
