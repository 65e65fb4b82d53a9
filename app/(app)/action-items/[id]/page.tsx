import Link from "next/link";
import { notFound } from "next/navigation";
import { CommentForm } from "@/components/action-items/comment-form";
import { EffectTable } from "@/components/action-items/effect-table";
import { ItemForm } from "@/components/action-items/item-form";
import { CloseItemButton, StatusForm } from "@/components/action-items/status-form";
import { VerdictView } from "@/components/action-items/verdict";
import { PageHeader } from "@/components/page-header";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getActionItem, getFunctionNames, getOwnerSuggestions } from "@/lib/data/action-items";
import { statusLabels } from "@/lib/domain/action-items";
import { AppError } from "@/lib/errors";

export const metadata = { title: "Action item" };

export default async function ActionItemPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ fresh?: string }>;
}) {
  const [{ id }, { fresh }] = await Promise.all([params, searchParams]);
  const loaded = await getActionItem(id, { fresh: fresh === "1" }).catch((error: unknown) => {
    if (AppError.from(error).code === "NOT_FOUND") notFound();
    throw error;
  });
  const { item, comments, all } = loaded;
  const user = await getSessionUser();
  const canEdit = user ? hasRole(user.role, "operator") : false;
  const [owners, functions] = canEdit ? await Promise.all([getOwnerSuggestions(), getFunctionNames()]) : [[], []];
  const check = item.verification;
  return (
    <>
      <PageHeader
        title={`${item.position}. ${item.title}`}
        description={
          <>
            Owner {item.owner} · due {item.dueDate ?? "—"} · {statusLabels[item.status]}
            {item.doneAt ? ` since ${item.doneAt.replace("T", " ").slice(0, 16)} UTC` : ""} ·{" "}
            <Link href="/action-items" className="underline">
              All items
            </Link>
          </>
        }
        actions={
          <Link href={`/action-items/${item.id}?fresh=1`} className="btn" prefetch={false}>
            Check now
          </Link>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <section className="card">
          <h2 className="mb-2 font-semibold">Verification</h2>
          {item.warnings.map((warning) => (
            <p key={warning} role="note" className="mb-2 text-sm text-warn" data-testid="dependency-warning">
              ⚠ {warning}
            </p>
          ))}
          <VerdictView verdict={item.verdict} check={item.check} />
          {canEdit ? (
            <div className="mt-3 flex flex-wrap gap-3">
              <StatusForm id={item.id} status={item.status} title={item.title} />
              {item.verdict.offerClose ? <CloseItemButton id={item.id} title={item.title} /> : null}
            </div>
          ) : null}
        </section>
        <section className="card">
          <h2 className="mb-2 font-semibold">Effect</h2>
          {item.effect ? (
            <EffectTable effect={item.effect} />
          ) : (
            <p className="text-sm text-muted">
              {item.status === "done"
                ? "No linked function, or done less than an hour ago."
                : "Shown once the item is done: the week before vs the week after, for its linked functions."}
            </p>
          )}
        </section>
        <section className="card">
          <h2 className="mb-2 font-semibold">Notes</h2>
          <p className="whitespace-pre-wrap text-sm">{item.notes || "—"}</p>
          <h2 className="mt-4 mb-2 font-semibold">Comments</h2>
          <ul className="flex flex-col gap-2 text-sm" data-testid="comments">
            {comments.length === 0 ? <li className="text-muted">No comments yet.</li> : null}
            {comments.map((comment) => (
              <li key={comment.id} className="rounded border border-border p-2">
                <p className="text-xs text-muted">
                  {comment.author} · {comment.createdAt.replace("T", " ").slice(0, 16)} UTC
                </p>
                <p className="whitespace-pre-wrap">{comment.body}</p>
              </li>
            ))}
          </ul>
          {canEdit ? (
            <div className="mt-3">
              <CommentForm id={item.id} />
            </div>
          ) : null}
        </section>
        {canEdit ? (
          <section>
            <h2 className="mb-2 font-semibold">Edit</h2>
            <ItemForm
              defaults={{
                id: item.id,
                title: item.title,
                owner: item.owner,
                dueDate: item.dueDate ?? "",
                notes: item.notes,
                functions: item.functions.join(", "),
                dependsOn: item.dependsOn.map((dependency) => dependency.itemId),
                checkKind: check?.kind ?? "none",
                checkFunction: check && "functionName" in check ? check.functionName : "",
                checkThresholdMb: check?.kind === "package-size" ? String(check.maxMb) : "",
              }}
              others={all
                .filter((other) => other.id !== item.id)
                .map((other) => ({ id: other.id, position: other.position, title: other.title }))}
              owners={owners}
              functions={functions}
            />
          </section>
        ) : null}
      </div>
    </>
  );
}
