import { Suspense } from "react";
import { FleetSection, HeadlineCards, overviewHref } from "@/components/latency/fleet-overview";
import { RangeLinks } from "@/components/latency/range-links";
import { TimeZoneSelect } from "@/components/latency/time-zone-select";
import { WidgetSkeleton } from "@/components/latency/widget-status";
import { PageHeader } from "@/components/page-header";
import { overviewRanges } from "@/lib/data/latency";
import { parseOverviewParams } from "@/lib/domain/latency-params";

export const metadata = { title: "Overview" };

export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = parseOverviewParams(await searchParams);
  return (
    <>
      <PageHeader
        title="Overview"
        description="How slow are we, since when, and for whom: every function's latency over the window, and the functions in focus against the same window two weeks earlier."
        actions={<TimeZoneSelect value={params.tz} />}
      />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <RangeLinks
          ranges={overviewRanges}
          current={params.range}
          hrefFor={(range) => overviewHref(params, { range })}
        />
      </div>
      {params.ignored.length > 0 ? (
        <p role="status" className="mb-4 rounded-md bg-banner px-3 py-2 text-sm text-banner-fg">
          Some settings in the link were not understood and were ignored ({params.ignored.join(", ")}); the defaults
          apply.
        </p>
      ) : null}
      <div className="space-y-6">
        <Suspense fallback={<WidgetSkeleton label="headline figures" height="h-32" />}>
          <HeadlineCards params={params} />
        </Suspense>
        <Suspense fallback={<WidgetSkeleton label="the fleet" height="h-72" />}>
          <FleetSection params={params} />
        </Suspense>
      </div>
    </>
  );
}
