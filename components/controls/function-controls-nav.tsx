import Link from "next/link";

/** Links between a function's latency page, its controls and its power tuning. */
export function FunctionControlsNav({
  functionName,
  current,
}: {
  functionName: string;
  current?: "overview" | "concurrency" | "configuration" | "power-tuning";
}) {
  const base = `/functions/${encodeURIComponent(functionName)}`;
  const items = [
    { key: "overview", href: base, label: "Latency" },
    { key: "concurrency", href: `${base}/concurrency`, label: "Provisioned concurrency" },
    { key: "configuration", href: `${base}/configuration`, label: "Memory and runtime" },
    { key: "power-tuning", href: `${base}/power-tuning`, label: "Power tuning" },
  ] as const;
  return (
    <nav aria-label="Function" className="mb-4 flex flex-wrap gap-2 text-sm">
      {items.map((item) => (
        <Link
          key={item.key}
          href={item.href}
          aria-current={current === item.key ? "page" : undefined}
          className={`rounded-md border border-border px-3 py-1 ${current === item.key ? "bg-surface-2 font-semibold" : "hover:bg-surface-2"}`}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
