import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/page-header";
import { getAuditPage, parseAuditFilter } from "@/lib/data/audit";

export const metadata = { title: "Audit log" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const filter = parseAuditFilter(await searchParams);
  const { entries, nextBefore, facets } = await getAuditPage(filter);
  const query = new URLSearchParams(
    Object.entries(filter)
      .filter(([key, value]) => key !== "before" && value !== undefined)
      .map(([key, value]) => [key, String(value)]),
  );
  const nextQuery = new URLSearchParams(query);
  if (nextBefore) nextQuery.set("before", String(nextBefore));

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made through Phoenix: who, what, before, after and the outcome. An intent without a recorded outcome is shown as unknown, never as a success."
        actions={
          <a className="btn" href={`/api/audit/export?${query}`} download>
            Export CSV
          </a>
        }
      />
      <form
        method="get"
        className="card mb-4 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6"
        aria-label="Filter the audit log"
      >
        <div>
          <label className="label" htmlFor="actor">
            Actor
          </label>
          <select id="actor" name="actor" className="input" defaultValue={filter.actor ?? ""}>
            <option value="">Anyone</option>
            {facets.actors.map((actor) => (
              <option key={actor}>{actor}</option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="action">
            Action
          </label>
          <select id="action" name="action" className="input" defaultValue={filter.action ?? ""}>
            <option value="">Any action</option>
            {facets.actions.map((action) => (
              <option key={action}>{action}</option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="target">
            Target contains
          </label>
          <input id="target" name="target" className="input" defaultValue={filter.target ?? ""} maxLength={500} />
        </div>
        <div>
          <label className="label" htmlFor="from">
            From
          </label>
          <input id="from" name="from" type="date" className="input" defaultValue={filter.from?.slice(0, 10) ?? ""} />
        </div>
        <div>
          <label className="label" htmlFor="to">
            To
          </label>
          <input id="to" name="to" type="date" className="input" defaultValue={filter.to?.slice(0, 10) ?? ""} />
        </div>
        <div className="flex items-end gap-2">
          <button type="submit" className="btn btn-primary">
            Filter
          </button>
          <Link href="/audit" className="btn">
            Clear
          </Link>
        </div>
      </form>
      <AuditTable entries={entries} />
      {nextBefore ? (
        <div className="mt-4">
          <Link className="btn" href={`/audit?${nextQuery}`}>
            Older entries
          </Link>
        </div>
      ) : null}
    </>
  );
}
