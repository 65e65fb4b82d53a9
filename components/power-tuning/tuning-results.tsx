import { formatDuration, formatUsd } from "@/lib/domain/latency";
import { formatMemory, type TuningAnalysis } from "@/lib/domain/power-tuning";

const strategyLabels = { cost: "Cost", speed: "Speed", balanced: "Balanced" } as const;

/** Per-invocation amounts are millionths of a dollar: plain decimals, two significant digits, no exponent. */
function usd(value: number | null): string {
  if (value === null) return "—";
  if (value >= 0.01 || value === 0) return formatUsd(value);
  return `$${value.toLocaleString("en-US", { maximumSignificantDigits: 2, maximumFractionDigits: 12 })}`;
}

/** A run's figures per memory value and every strategy's recommendation in words. */
export function TuningResults({ analysis }: { analysis: TuningAnalysis }) {
  const architecture = analysis.architecture;
  return (
    <div className="space-y-4">
      <ul className="card space-y-1 text-sm" aria-label="Recommendations">
        {analysis.recommendations.map((recommendation) => (
          <li
            key={recommendation.strategy}
            data-testid={recommendation.strategy === analysis.chosen.strategy ? "recommendation" : undefined}
            className={recommendation.strategy === analysis.chosen.strategy ? "font-semibold" : ""}
          >
            {strategyLabels[recommendation.strategy]}: {recommendation.words}
          </li>
        ))}
        {analysis.excluded.length > 0 ? (
          <li className="text-muted">
            Left out: {analysis.excluded.map((item) => `${formatMemory(item.memoryMb)} (${item.reason})`).join(", ")}.
          </li>
        ) : null}
      </ul>
      <div className="overflow-x-auto rounded-lg border border-border bg-surface">
        <table className="table text-sm" data-testid="tuning-table">
          <caption className="sr-only">Results per memory value</caption>
          <thead>
            <tr>
              <th scope="col">Memory</th>
              <th scope="col">Invocations</th>
              <th scope="col">p50</th>
              <th scope="col">p90</th>
              <th scope="col">p99</th>
              <th scope="col">Trimmed mean</th>
              <th scope="col">p90 with init</th>
              <th scope="col">Mean with init</th>
              <th scope="col">Cold starts (init)</th>
              <th scope="col">Billed</th>
              <th scope="col">Cost / invocation ({architecture})</th>
              <th scope="col">Per 1M x86_64 / arm64</th>
              <th scope="col">Max memory used</th>
              <th scope="col">Errors / timeouts</th>
            </tr>
          </thead>
          <tbody>
            {analysis.memories.map((memory) => {
              const perMillion = (value: number | null) =>
                value === null ? "—" : formatUsd((value + memory.requestCostPerInvocation) * 1_000_000);
              return (
                <tr
                  key={memory.memoryMb}
                  className={memory.memoryMb === analysis.baselineMemoryMb ? "font-medium" : ""}
                >
                  <th scope="row">
                    {formatMemory(memory.memoryMb)}
                    {memory.memoryMb === analysis.baselineMemoryMb ? " (today)" : ""}
                  </th>
                  <td>{memory.invocations}</td>
                  <td>{formatDuration(memory.duration.p50)}</td>
                  <td>{formatDuration(memory.duration.p90)}</td>
                  <td>{formatDuration(memory.duration.p99)}</td>
                  <td>{formatDuration(memory.duration.trimmedMean)}</td>
                  <td>{formatDuration(memory.totalDuration.p90)}</td>
                  <td>{formatDuration(memory.totalDuration.trimmedMean)}</td>
                  <td>
                    {memory.coldStarts}
                    {memory.initMean !== null ? ` (${formatDuration(memory.initMean)})` : ""}
                  </td>
                  <td>{formatDuration(memory.billedMean)}</td>
                  <td>
                    {usd(memory.costPerInvocation[architecture])}
                    <span className="text-muted"> + {usd(memory.requestCostPerInvocation)} request</span>
                  </td>
                  <td>
                    {perMillion(memory.costPerInvocation.x86_64)} / {perMillion(memory.costPerInvocation.arm64)}
                  </td>
                  <td>{memory.maxMemoryUsedMb === null ? "—" : `${memory.maxMemoryUsedMb} MB`}</td>
                  <td className={memory.errors + memory.timeouts > 0 ? "text-danger" : ""}>
                    {memory.errors} / {memory.timeouts}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-muted">
        Durations are the REPORT's Duration; "with init" adds Init (and SnapStart Restore) Duration, which cold starts
        pay. Costs use the trimmed mean of billed ms at on-demand prices; the $0.20 per million requests is shown
        separately and included in the per-million figures. arm64 prices are for comparison: measuring arm64 needs the
        function deployed for arm64 and a second run to compare.
      </p>
    </div>
  );
}
