import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Functions" };

export default function FunctionsPage() {
  return (
    <ComingSoon
      title="Functions"
      issue={4}
      description="Per-function latency charts with change annotations, and the controls for provisioned-concurrency schedules, memory and runtime."
    />
  );
}
