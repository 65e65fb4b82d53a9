import Link from "next/link";

/** Preset ranges as links: each keeps the rest of the URL state, so a link reproduces the view. */
export function RangeLinks({
  ranges,
  current,
  hrefFor,
}: {
  ranges: readonly string[];
  current: string;
  hrefFor: (range: string) => string;
}) {
  return (
    <nav aria-label="Time range" className="flex flex-wrap gap-1">
      {ranges.map((range) => (
        <Link
          key={range}
          href={hrefFor(range)}
          className={`btn px-2 py-1 ${range === current ? "btn-primary" : ""}`}
          aria-current={range === current ? "true" : undefined}
          scroll={false}
        >
          {range}
        </Link>
      ))}
    </nav>
  );
}
