import { type ActionItemStatus, statusLabels } from "./action-items";
import { formatDuration } from "./latency";
import { formatDelta, type PreviousComparison, type ReviewReport } from "./reviews";
import { formatWindow, metricRows } from "./reviews-format";

/** A review report as Markdown: the same figures as the page (both use reviews-format.ts). */

const escapeCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.map(escapeCell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(" | ")} |`),
  ].join("\n");
}

export function reviewToMarkdown(
  report: ReviewReport,
  options: { saved: boolean; previous: PreviousComparison | null; url?: string },
): string {
  const out: string[] = [];
  out.push(`# ${report.review.title}`);
  out.push("");
  out.push(`- Meeting: ${report.review.meetingDate}`);
  out.push(`- Baseline: ${formatWindow(report.review.baseline)}`);
  out.push(`- Current: ${formatWindow(report.review.current)}`);
  out.push(`- Functions: ${report.review.functions.join(", ")}`);
  out.push(
    `- Data: ${report.source}; ${options.saved ? "snapshot" : "live preview (not saved)"} taken ${report.builtAt}`,
  );
  if (options.url) out.push(`- Permanent link: ${options.url}`);
  out.push("");
  out.push("## Total");
  out.push("");
  const total = metricRows(
    report.total.baseline,
    report.total.current,
    {
      baseline: report.total.baselineCost,
      current: report.total.currentCost,
    },
    report.review,
  );
  out.push(
    table(
      ["Metric", "Baseline", "Current", "Change"],
      total.map((row) => [row.label, row.baseline, row.current, row.delta]),
    ),
  );
  if (!report.total.percentilesCoverAll)
    out.push("\nPercentiles of the total are only shown when the review covers every function.");
  for (const fn of report.functions) {
    out.push("");
    out.push(`## ${fn.fn.name}`);
    out.push("");
    out.push(`${fn.fn.runtime}, ${fn.fn.memoryMb} MB, timeout ${fn.fn.timeoutSeconds} s, ${fn.fn.architecture}`);
    out.push("");
    const rows = metricRows(
      fn.baseline,
      fn.current,
      { baseline: fn.baselineCost, current: fn.currentCost },
      report.review,
    );
    out.push(
      table(
        ["Metric", "Baseline", "Current", "Change"],
        rows.map((row) => [row.label, row.baseline, row.current, row.delta]),
      ),
    );
  }
  out.push("");
  out.push("## Action items");
  out.push("");
  out.push(
    table(
      ["#", "Item", "Owner", "Status", "Check", "Effect (p90, week before → after)"],
      report.actionItems.map((item) => {
        const effect = item.effect?.functions[0];
        return [
          String(item.position),
          item.title,
          item.owner,
          statusLabels[item.status as ActionItemStatus] ?? item.status,
          item.verdict.label,
          effect
            ? `${effect.name}: ${formatDuration(effect.before.p90)} → ${formatDuration(effect.after.p90)} (${formatDelta(effect.before.p90, effect.after.p90)})`
            : "—",
        ];
      }),
    ),
  );
  for (const item of report.actionItems) {
    if (!item.check) continue;
    out.push("");
    out.push(
      `- Evidence for ${item.position} (checked ${item.check.result.checkedAt}): ${item.check.result.evidence.join("; ")}`,
    );
  }
  out.push("");
  out.push("## Changes in between");
  out.push("");
  out.push(
    report.changes.length === 0
      ? "No recorded changes."
      : table(
          ["When (UTC)", "Function", "Change", "Who"],
          report.changes.map((change) => [
            change.at.replace("T", " ").slice(0, 16),
            change.functionName,
            change.title,
            change.who,
          ]),
        ),
  );
  out.push("");
  out.push("## Open risks");
  out.push("");
  out.push(report.risks.length === 0 ? "None." : report.risks.map((risk) => `- ${risk.text}`).join("\n"));
  if (options.previous) {
    out.push("");
    out.push(`## Compared with the previous review (${options.previous.title}, ${options.previous.meetingDate})`);
    out.push("");
    out.push(
      table(
        ["Function", "p90 then", "p90 now", "Change"],
        options.previous.rows.map((row) => [
          row.name,
          formatDuration(row.previous?.p90 ?? null),
          formatDuration(row.now.p90),
          formatDelta(row.previous?.p90 ?? null, row.now.p90),
        ]),
      ),
    );
  }
  if (report.notes.length > 0) {
    out.push("");
    out.push("## Notes");
    out.push("");
    out.push(report.notes.map((note) => `- ${note}`).join("\n"));
  }
  out.push("");
  return out.join("\n");
}
