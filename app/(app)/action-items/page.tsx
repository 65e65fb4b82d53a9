import Link from "next/link";
import { emptyItem, ItemForm } from "@/components/action-items/item-form";
import { MoveButtons } from "@/components/action-items/move-buttons";
import { CloseItemButton, StatusForm } from "@/components/action-items/status-form";
import { VerdictView } from "@/components/action-items/verdict";
import { PageHeader } from "@/components/page-header";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getActionItems, getFunctionNames, getOwnerSuggestions } from "@/lib/data/action-items";
import { statusLabels } from "@/lib/domain/action-items";
import { formatDuration } from "@/lib/domain/latency";
import { formatDelta } from "@/lib/domain/reviews";

export const metadata = { title: "Action items" };

export default async function ActionItemsPage({ searchParams }: { searchParams: Promise<{ fresh?: string }> }) {
  const { fresh } = await searchParams;
  const [items, user] = await Promise.all([getActionItems({ fresh: fresh === "1" }), getSessionUser()]);
  const canEdit = user ? hasRole(user.role, "operator") : false;
  const [owners, functions] = canEdit ? await Promise.all([getOwnerSuggestions(), getFunctionNames()]) : [[], []];
  const checkedAt = items.find((item) => item.check)?.check?.result.checkedAt;
  return (
    <>
      <PageHeader
        title="Action items"
        description="The fixes agreed in the review meeting, in the agreed order. Each check reads the live AWS state (here: the simulated sandbox account) and shows its evidence; dependencies are warnings, not locks."
        actions={
          <Link href="/action-items?fresh=1" className="btn" prefetch={false}>
            Check now
          </Link>
        }
      />
      {checkedAt ? (
        <p className="mb-3 text-xs text-muted">
          Checked {checkedAt.replace("T", " ").slice(0, 19)} UTC (re-read at most once a minute unless you press Check
          now).
        </p>
      ) : null}
      <ol className="flex flex-col gap-3" data-testid="action-items">
        {items.map((item, index) => {
          const effectRow = item.effect?.functions[0];
          return (
            <li key={item.id} className="card" data-testid="action-item" data-position={item.position}>
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 flex-1">
                  <h2 className="font-semibold">
                    <span className="text-muted">{item.position}.</span>{" "}
                    <Link href={`/action-items/${item.id}`} className="hover:underline">
                      {item.title}
                    </Link>
                  </h2>
                  <p className="text-xs text-muted">
                    Owner <strong className="text-fg">{item.owner}</strong> · due {item.dueDate ?? "—"} ·{" "}
                    <span data-testid="item-status">{statusLabels[item.status]}</span>
                    {item.doneAt ? ` (done ${item.doneAt.slice(0, 10)})` : ""}
                    {item.functions.length > 0 ? ` · ${item.functions.join(", ")}` : ""}
                    {item.dependencies.length > 0
                      ? ` · after ${item.dependencies.map((dependency) => `#${dependency.position}`).join(", ")}`
                      : ""}
                  </p>
                </div>
                {canEdit ? (
                  <div className="flex items-start gap-2">
                    <StatusForm id={item.id} status={item.status} title={item.title} />
                    <MoveButtons
                      id={item.id}
                      title={item.title}
                      first={index === 0}
                      last={index === items.length - 1}
                    />
                  </div>
                ) : null}
              </div>
              {item.warnings.map((warning) => (
                <p key={warning} role="note" className="mt-2 text-sm text-warn" data-testid="dependency-warning">
                  ⚠ {warning}
                </p>
              ))}
              <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
                <VerdictView verdict={item.verdict} check={item.check} />
                {canEdit && item.verdict.offerClose ? <CloseItemButton id={item.id} title={item.title} /> : null}
              </div>
              {effectRow ? (
                <p className="mt-2 text-sm" data-testid="effect">
                  Effect on {effectRow.name}: p90 {formatDuration(effectRow.before.p90)} →{" "}
                  {formatDuration(effectRow.after.p90)} ({formatDelta(effectRow.before.p90, effectRow.after.p90)}), week
                  before vs {item.effect?.afterPartial ? "days" : "week"} after.{" "}
                  <Link href={`/action-items/${item.id}`} className="underline">
                    Details
                  </Link>
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {canEdit ? (
        <section className="mt-8">
          <h2 className="mb-2 text-lg font-semibold">New action item</h2>
          <ItemForm
            defaults={emptyItem}
            others={items.map((item) => ({ id: item.id, position: item.position, title: item.title }))}
            owners={owners}
            functions={functions}
          />
        </section>
      ) : null}
    </>
  );
}
