import { formatCount, formatDuration } from "@/lib/domain/latency";
import { formatDelta, type ReportEffect } from "@/lib/domain/reviews";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/** The week before vs the week after an item was done, for its linked functions. */
export function EffectTable({ effect }: { effect: ReportEffect }) {
  return (
    <div className="overflow-x-auto">
      <p className="text-xs text-muted">
        Before: {day(effect.before.startMs)} → {day(effect.before.endMs)} UTC · after: {day(effect.after.startMs)} →{" "}
        {day(effect.after.endMs)} UTC{effect.afterPartial ? " (less than a week so far)" : ""}
      </p>
      <table className="table mt-1 text-xs" data-testid="effect-table">
        <thead>
          <tr>
            <th scope="col">Function</th>
            <th scope="col">p50</th>
            <th scope="col">p90</th>
            <th scope="col">p99</th>
            <th scope="col">Timeouts</th>
            <th scope="col">Cold starts</th>
          </tr>
        </thead>
        <tbody>
          {effect.functions.map((row) => (
            <tr key={row.name}>
              <td>{row.name}</td>
              {(["p50", "p90", "p99"] as const).map((key) => (
                <td key={key}>
                  {formatDuration(row.before[key])} → {formatDuration(row.after[key])}{" "}
                  <span className="text-muted">{formatDelta(row.before[key], row.after[key])}</span>
                </td>
              ))}
              <td>
                {formatCount(row.before.timeouts)} → {formatCount(row.after.timeouts)}
              </td>
              <td>
                {formatCount(row.before.coldStarts)} → {formatCount(row.after.coldStarts)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
