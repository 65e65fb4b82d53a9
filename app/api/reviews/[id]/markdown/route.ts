import { getConfig } from "@/lib/config";
import { getReview } from "@/lib/data/reviews";
import { reviewToMarkdown } from "@/lib/domain/markdown";
import { AppError } from "@/lib/errors";

// GET /api/reviews/:id/markdown – the review report as a Markdown file (viewer and up).
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const page = await getReview(id);
    const url = new URL(`/reviews/${id}`, getConfig().publicUrl).toString();
    const markdown = reviewToMarkdown(page.report, { saved: page.saved, previous: page.previous, url });
    const fileName = `${page.review.meetingDate}-${page.review.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")}.md`;
    return new Response(markdown, {
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="${fileName}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    const appError = AppError.from(error);
    if (appError.code === "INTERNAL") console.error("[reviews markdown]", error);
    return Response.json({ error: appError.userMessage }, { status: appError.status });
  }
}
