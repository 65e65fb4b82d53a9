"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { JobProgress } from "@/components/jobs/job-progress";
import type { JobDto } from "@/lib/jobs";

const terminal = new Set(["succeeded", "failed", "cancelled"]);

/**
 * The live progress of a tuning (or apply) job, and a page refresh when it ends so the results,
 * history and function configuration appear without a reload.
 */
export function JobRefresh({ initial, canCancel }: { initial: JobDto; canCancel: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (terminal.has(initial.status)) return;
    let stopped = false;
    const poll = async () => {
      while (!stopped) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        try {
          const response = await fetch(`/api/jobs/${initial.id}`, { cache: "no-store" });
          if (response.ok && terminal.has(((await response.json()) as JobDto).status)) {
            router.refresh();
            return;
          }
        } catch {
          // Retried on the next tick.
        }
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [initial.id, initial.status, router]);
  return <JobProgress initial={initial} canCancel={canCancel} />;
}
