"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";

/** Reloads the server data of the page (the cache refreshes anything stale on the way). */
export function RetryButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button type="button" className="btn" disabled={pending} onClick={() => startTransition(() => router.refresh())}>
      {pending ? "Retrying…" : "Retry"}
    </button>
  );
}
