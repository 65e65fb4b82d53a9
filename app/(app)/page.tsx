import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <ComingSoon
      title="Overview"
      issue={4}
      description="Fleet latency at a glance: p50/p90/p99, timeouts, cold starts and provisioned-concurrency use per function, against two weeks ago."
    />
  );
}
