import type { HeatmapDto } from "@/lib/data/controls-fetchers";
import { formatDollars } from "@/lib/domain/cost";

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const ORDER = [1, 2, 3, 4, 5, 6, 0];
/** The hours of a day, as values (not array indexes) for keys. */
const HOURS = Array.from({ length: 24 }, (_, hour) => `h${hour}`).map((key) => ({ key, hour: Number(key.slice(1)) }));

/**
 * The week as 7 × 24 cells: the PC level the schedule produces (number, shade) over the p95
 * concurrency observed in that hour of the week (small number), with hours below the break-even
 * utilization and hours with spill-over outlined.
 */
export function PcHeatmap({ heatmap }: { heatmap: HeatmapDto }) {
  const max = Math.max(1, ...heatmap.cells.map((cell) => Math.max(cell.pcPeak, cell.observedP95)));
  const byKey = new Map(heatmap.cells.map((cell) => [`${cell.day}-${cell.hour}`, cell]));
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto">
        <table
          className="border-collapse text-[10px]"
          data-testid="pc-heatmap"
          aria-label={`Provisioned concurrency by hour of the week (${heatmap.timeZone})`}
        >
          <thead>
            <tr>
              <th scope="col" className="px-1 text-left text-muted">
                {heatmap.timeZone}
              </th>
              {HOURS.map(({ key, hour }) => (
                <th key={key} scope="col" className="w-8 px-0.5 text-center font-normal text-muted">
                  {String(hour).padStart(2, "0")}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ORDER.map((day) => (
              <tr key={day}>
                <th scope="row" className="pr-2 text-left font-medium">
                  {DAY_NAMES[day]}
                </th>
                {HOURS.map(({ key, hour }) => {
                  const cell = byKey.get(`${day}-${hour}`);
                  if (!cell) return <td key={key} />;
                  const shade = Math.round((cell.pcPeak / max) * 70);
                  const outline =
                    cell.flag === "under-utilized"
                      ? "outline outline-1 outline-warn"
                      : cell.flag === "spill-over"
                        ? "outline outline-2 outline-danger"
                        : "";
                  const title = `${DAY_NAMES[day]} ${String(hour).padStart(2, "0")}:00 — PC ${cell.pcPeak} (avg ${cell.pcAverage.toFixed(1)}), observed p95 ${cell.observedP95.toFixed(0)}, ${Math.round(cell.invocations)} invocations/h${
                    cell.utilization !== null ? `, utilization ${Math.round(cell.utilization * 100)} %` : ""
                  }${cell.spillover > 0 ? `, ~${Math.round(cell.spillover)} spill-over invocations` : ""}`;
                  return (
                    <td
                      key={key}
                      title={title}
                      data-flag={cell.flag}
                      data-pc={cell.pcPeak}
                      className={`h-8 w-8 border border-border text-center align-middle ${outline}`}
                      style={{ backgroundColor: `color-mix(in srgb, var(--accent) ${shade}%, transparent)` }}
                    >
                      <div className="font-semibold">{cell.pcPeak}</div>
                      <div className="text-muted">{cell.observedP95.toFixed(0)}</div>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-muted">
        Big number: provisioned concurrency the schedule produces (billed in 5-minute steps). Small number: p95 of the
        concurrency observed in that hour over the last {Math.round(heatmap.observedDays)} days.{" "}
        <span className="text-warn">Amber outline</span>: below the {Math.round(heatmap.breakEven * 100)} % utilization
        at which PC pays off. <span className="text-danger">Red outline</span>: observed concurrency above PC —
        spill-over to on-demand (cold starts).
      </p>
      <dl className="grid gap-2 text-sm md:grid-cols-4" data-testid="schedule-estimate">
        <div className="card">
          <dt className="text-muted">Monthly cost with this schedule</dt>
          <dd className="text-lg font-semibold">{formatDollars(heatmap.monthlyWithPc)}</dd>
        </div>
        <div className="card">
          <dt className="text-muted">Without any PC</dt>
          <dd className="text-lg font-semibold">{formatDollars(heatmap.monthlyWithoutPc)}</dd>
        </div>
        <div className="card">
          <dt className="text-muted">Utilization of PC</dt>
          <dd className="text-lg font-semibold">
            {heatmap.utilization === null ? "no PC" : `${Math.round(heatmap.utilization * 100)} %`}
          </dd>
          <dd className="text-xs text-muted">{heatmap.underUtilizedHours} h/week below break-even</dd>
        </div>
        <div className="card">
          <dt className="text-muted">Spill-over</dt>
          <dd className="text-lg font-semibold">
            ~{Math.round(heatmap.spilloverPerWeek).toLocaleString("en-US")} / week
          </dd>
          <dd className="text-xs text-muted">{heatmap.spilloverHours} h/week above PC</dd>
        </div>
      </dl>
      <p className="text-xs text-muted">
        Estimate: x86/arm64 prices of DESIGN.md §5 at the function's memory, average duration{" "}
        {Math.round(heatmap.averageDurationMs)} ms; spill-over counts the share of p95 concurrency above the PC level.
        No free tier (it does not apply with PC).
      </p>
    </div>
  );
}
