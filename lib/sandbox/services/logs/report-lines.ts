/**
 * The Lambda platform's REPORT line, tab-separated as CloudWatch Logs shows it (AWS_BEHAVIOUR.md §2.5):
 * Init Duration only on cold starts, `Status: timeout` when the function timed out, and Billed
 * Duration including INIT (billing since 2025-08-01).
 */
export function formatReportLine(input: {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initMs: number;
  timedOut: boolean;
}): string {
  const billed = Math.ceil(input.durationMs + input.initMs);
  const parts = [
    `REPORT RequestId: ${input.requestId}`,
    `Duration: ${input.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billed} ms`,
    `Memory Size: ${input.memorySizeMb} MB`,
    `Max Memory Used: ${input.maxMemoryUsedMb} MB`,
  ];
  if (input.initMs > 0) parts.push(`Init Duration: ${input.initMs.toFixed(2)} ms`);
  if (input.timedOut) parts.push("Status: timeout");
  return `${parts.join("\t")}\t`;
}

/** A deterministic request id for a simulated invocation (same seed, function, minute, sample → same id). */
export function simulatedRequestId(functionKey: number, minuteMs: number, sample: number): string {
  const hex = (value: number) => (value >>> 0).toString(16).padStart(8, "0");
  const a = Math.imul(functionKey ^ Math.floor(minuteMs / 60_000), 2654435761);
  const b = Math.imul(a ^ (sample + 1), 2246822519);
  const c = Math.imul(b ^ 0x9e3779b9, 3266489917);
  const d = Math.imul(c ^ functionKey, 668265263);
  return `${hex(a)}-${hex(b).slice(0, 4)}-4${hex(b).slice(5, 8)}-a${hex(c).slice(1, 4)}-${hex(c).slice(4)}${hex(d)}`;
}
