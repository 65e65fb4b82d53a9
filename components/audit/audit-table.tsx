import type { AuditEntry, AuditOutcome } from "@/lib/audit";

const outcomeStyles: Record<AuditOutcome, { label: string; className: string }> = {
  success: { label: "Success", className: "text-ok" },
  failure: { label: "Failed", className: "text-danger" },
  denied: { label: "Refused", className: "text-danger" },
  invalid: { label: "Invalid input", className: "text-warn" },
  unknown: { label: "Outcome unknown", className: "text-warn" },
};

function Json({ value }: { value: string | null }) {
  if (!value) return <span className="text-muted">—</span>;
  return <code className="block max-w-xs font-mono text-xs break-all whitespace-pre-wrap">{value}</code>;
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p className="card text-sm text-muted">No audit entries match these filters.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-border bg-surface">
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Outcome</th>
            <th scope="col">Input</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const outcome = outcomeStyles[entry.outcome];
            return (
              <tr key={entry.id}>
                <td className="whitespace-nowrap font-mono text-xs">
                  <time dateTime={entry.at}>{entry.at.replace("T", " ").slice(0, 19)}</time>
                </td>
                <td>
                  {entry.actor} <span className="text-muted">({entry.role})</span>
                </td>
                <td className="font-mono text-xs">{entry.action}</td>
                <td className="font-mono text-xs">{entry.target ?? "—"}</td>
                <td>
                  <span className={`font-medium ${outcome.className}`}>{outcome.label}</span>
                  {entry.error ? <div className="mt-1 max-w-xs text-xs text-muted">{entry.error}</div> : null}
                </td>
                <td>
                  <Json value={entry.input} />
                </td>
                <td>
                  <Json value={entry.before} />
                </td>
                <td>
                  <Json value={entry.after} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
