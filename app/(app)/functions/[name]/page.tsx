import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { FunctionControlsNav } from "@/components/controls/function-controls-nav";
import { CustomRangeForm } from "@/components/latency/custom-range-form";
import {
  AnnotationList,
  ConfigurationSummary,
  FunctionViewCost,
  LogCharts,
  MetricCharts,
} from "@/components/latency/function-widgets";
import { ChartPreload } from "@/components/latency/latency-charts";
import { RangeLinks } from "@/components/latency/range-links";
import { TimeZoneSelect } from "@/components/latency/time-zone-select";
import { WidgetSkeleton } from "@/components/latency/widget-status";
import { PageHeader } from "@/components/page-header";
import { getFunctionSummary } from "@/lib/data/latency";
import { functionPageQuery, parseFunctionPageParams } from "@/lib/domain/latency-params";
import { rangePresetNames, resolveWindow, type WindowSelection } from "@/lib/domain/periods";
import { AppError } from "@/lib/errors";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return { title: decodeURIComponent(name).slice(0, 64) };
}

export default async function FunctionPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const name = decodeURIComponent((await params).name);
  const parsed = parseFunctionPageParams(await searchParams);
  try {
    await getFunctionSummary(name);
  } catch (error) {
    if (AppError.from(error).code === "NOT_FOUND") notFound();
    // Other failures (throttling, access) are shown by the widgets with a retry.
  }

  // A custom range that makes no sense gets a message and the default view, never an error page.
  const judged = resolveWindow(parsed.selection, Date.now());
  const selection: WindowSelection = judged.ok ? parsed.selection : { range: "24h" };
  const rangeMessage = judged.ok ? null : judged.message;
  const view = { selection, averageAndMaximum: parsed.averageAndMaximum, tz: parsed.tz };
  const options = { averageAndMaximum: parsed.averageAndMaximum };
  const base = `/functions/${encodeURIComponent(name)}`;
  const hrefFor = (range: string) => `${base}?${functionPageQuery({ ...view, selection: { range: range as "24h" } })}`;
  const customBounds = judged.ok && selection.range === "custom" ? judged.window : undefined;

  return (
    <>
      <PageHeader
        title={name}
        description="Latency, traffic, errors, cold starts and provisioned concurrency on one time axis, with every recorded change marked."
        actions={
          <>
            <TimeZoneSelect value={parsed.tz} />
            <a
              className="btn"
              href={`/api/functions/${encodeURIComponent(name)}/export?${functionPageQuery(view)}`}
              download
            >
              Export CSV
            </a>
          </>
        }
      />
      <FunctionControlsNav functionName={name} current="overview" />
      <ChartPreload />
      <div className="mb-4 flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <RangeLinks
            ranges={[...rangePresetNames, "custom"]}
            current={selection.range}
            hrefFor={(range) =>
              range === "custom"
                ? `${base}?${functionPageQuery({ ...view, selection: customBounds ? selection : { range: "custom", from: "", to: "" } })}#custom-range`
                : hrefFor(range)
            }
          />
          <Link
            className="text-sm underline"
            href={`${base}?${functionPageQuery({ ...view, averageAndMaximum: !view.averageAndMaximum })}`}
            scroll={false}
          >
            {view.averageAndMaximum ? "Hide average and maximum" : "Also show average and maximum"}
          </Link>
        </div>
        {parsed.selection.range === "custom" ? (
          <div id="custom-range">
            <CustomRangeForm timeZone={parsed.tz} from={customBounds?.startMs} to={customBounds?.endMs} />
          </div>
        ) : null}
      </div>
      {rangeMessage ? (
        <p role="alert" className="mb-4 rounded-md border border-danger px-3 py-2 text-sm" data-testid="range-error">
          {rangeMessage} Showing the last 24 hours instead.
        </p>
      ) : null}
      {parsed.ignored.length > 0 ? (
        <p role="status" className="mb-4 rounded-md bg-banner px-3 py-2 text-sm text-banner-fg">
          Some settings in the link were not understood and were ignored ({parsed.ignored.join(", ")}).
        </p>
      ) : null}
      <div className="space-y-6">
        <Suspense fallback={<WidgetSkeleton label="the configuration" height="h-32" />}>
          <ConfigurationSummary name={name} timeZone={parsed.tz} />
        </Suspense>
        <Suspense fallback={<WidgetSkeleton label="the changes" height="h-20" />}>
          <AnnotationList name={name} selection={selection} timeZone={parsed.tz} />
        </Suspense>
        <Suspense fallback={<WidgetSkeleton label="the metrics" height="h-96" />}>
          <MetricCharts name={name} selection={selection} options={options} timeZone={parsed.tz} />
        </Suspense>
        <Suspense fallback={<WidgetSkeleton label="cold starts and timeouts" height="h-96" />}>
          <LogCharts name={name} selection={selection} options={options} timeZone={parsed.tz} />
        </Suspense>
      </div>
      <Suspense fallback={null}>
        <FunctionViewCost name={name} selection={selection} options={options} />
      </Suspense>
    </>
  );
}
