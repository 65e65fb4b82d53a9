import Link from "next/link";
import { LocalTime } from "@/components/latency/local-time";
import { WidgetError } from "@/components/latency/widget-status";
import { PageHeader } from "@/components/page-header";
import { listFunctionsWithLatency } from "@/lib/data/functions";
import { formatCount, formatDuration } from "@/lib/domain/latency";

export const metadata = { title: "Functions" };

export default async function FunctionsPage() {
  let list: Awaited<ReturnType<typeof listFunctionsWithLatency>>;
  try {
    list = await listFunctionsWithLatency();
  } catch (error) {
    return (
      <>
        <PageHeader title="Functions" />
        <WidgetError title="The functions could not be listed" error={error} />
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Functions"
        description="Every Lambda function of the account and region. Open one for its charts, changes and configuration."
      />
      <div className="card overflow-x-auto">
        <p className="mb-2 text-xs text-muted">
          Last 24 hours, as of <LocalTime ms={list.asOfMs} />
        </p>
        <table className="table" data-testid="functions-table">
          <thead>
            <tr>
              <th scope="col">Function</th>
              <th scope="col">Runtime</th>
              <th scope="col" className="text-right">
                Memory
              </th>
              <th scope="col" className="text-right">
                Timeout
              </th>
              <th scope="col">Architecture</th>
              <th scope="col" className="text-right">
                Provisioned concurrency
              </th>
              <th scope="col" className="text-right">
                p90 (24 h)
              </th>
              <th scope="col" className="text-right">
                Invocations (24 h)
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((item) => (
              <tr key={item.name}>
                <td className="font-medium">
                  <Link className="hover:underline" href={`/functions/${encodeURIComponent(item.name)}`}>
                    {item.name}
                  </Link>
                </td>
                <td title={item.runtimeExplanation}>
                  {item.runtimeLabel}
                  {item.runtimeState === "deprecated" || item.runtimeState === "deprecating" ? (
                    <span className="ml-1 rounded border border-warn px-1 text-xs text-warn">{item.runtimeState}</span>
                  ) : null}
                </td>
                <td className="text-right tabular-nums">{item.memoryMb} MB</td>
                <td className="text-right tabular-nums">{item.timeoutSeconds} s</td>
                <td>{item.architecture}</td>
                <td className="text-right tabular-nums">{item.pcAllocated ?? "—"}</td>
                <td className="text-right tabular-nums">{formatDuration(item.p90)}</td>
                <td className="text-right tabular-nums">{formatCount(item.invocations)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
