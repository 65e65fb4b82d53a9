import Link from "next/link";
import type { Verdict } from "@/lib/domain/action-items";
import type { CheckResult } from "@/lib/domain/verification";

const toneClass: Record<Verdict["tone"], string> = {
  ok: "text-ok",
  danger: "text-danger",
  warn: "text-warn",
  muted: "text-muted",
};

/** The check's verdict, with the evidence that supports it and when it was read. */
export function VerdictView({
  verdict,
  check,
}: {
  verdict: Verdict;
  check: { description: string; result: CheckResult } | null;
}) {
  return (
    <div className="text-sm" data-testid="verdict">
      <p className={`font-medium ${toneClass[verdict.tone]}`} data-testid="verdict-label">
        {verdict.label}
      </p>
      {check ? (
        <details className="mt-1">
          <summary className="cursor-pointer text-xs text-muted">
            Evidence · checked {check.result.checkedAt.replace("T", " ").slice(0, 19)} UTC
          </summary>
          <p className="mt-1 text-xs text-muted">Checks: {check.description}</p>
          <ul className="mt-1 list-disc pl-5 text-xs" data-testid="evidence">
            {check.result.evidence.map((line) => (
              <li key={line}>{line}</li>
            ))}
            {check.result.warnings.map((line) => (
              <li key={line} className="text-warn">
                {line}
              </li>
            ))}
          </ul>
          {check.result.links && check.result.links.length > 0 ? (
            <p className="mt-1 text-xs" data-testid="evidence-links">
              See:{" "}
              {check.result.links.map((link, index) => (
                <span key={link.href}>
                  {index > 0 ? ", " : ""}
                  <Link href={link.href} className="underline">
                    {link.label}
                  </Link>
                </span>
              ))}
            </p>
          ) : null}
        </details>
      ) : null}
    </div>
  );
}
