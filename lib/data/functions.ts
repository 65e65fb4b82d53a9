import "server-only";
import { requireRole } from "@/lib/auth/session";
import { getFleetMetrics, type OverviewRange } from "./latency";

/**
 * The functions list: configuration from the Lambda API and the day's headline numbers, read through
 * the same cached fleet view as the overview (no extra AWS calls when both are open).
 */
export interface FunctionListItem {
  name: string;
  runtime: string;
  runtimeLabel: string;
  runtimeState: string;
  runtimeExplanation: string;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: string;
  pcAllocated: number | null;
  p90: number | null;
  invocations: number;
}

export async function listFunctionsWithLatency(range: OverviewRange = "24h"): Promise<{
  items: FunctionListItem[];
  asOfMs: number;
}> {
  await requireRole("viewer");
  const view = await getFleetMetrics(range, []);
  const metricsByName = new Map(view.data.metrics.rows.map((row) => [row.name, row]));
  return {
    asOfMs: view.asOfMs,
    items: view.data.inventory.functions.map((fn) => ({
      name: fn.name,
      runtime: fn.runtime,
      runtimeLabel: fn.runtimeStatus.label,
      runtimeState: fn.runtimeStatus.state,
      runtimeExplanation: fn.runtimeStatus.explanation,
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      architecture: fn.architecture,
      pcAllocated: fn.pcAllocated,
      p90: metricsByName.get(fn.name)?.p90 ?? null,
      invocations: metricsByName.get(fn.name)?.invocations ?? 0,
    })),
  };
}
