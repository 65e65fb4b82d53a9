/**
 * Lambda prices (us-east-1, DESIGN.md §5, AWS_BEHAVIOUR.md §5.1) and the arithmetic built on them.
 * On-demand duration uses the first tier (the tiers start at 6 billion GB-s a month). The free tier is
 * left out: it does not apply to functions with provisioned concurrency.
 */

export type Architecture = "x86_64" | "arm64";

export interface ArchitecturePrices {
  /** On-demand duration, $ per GB-second. */
  onDemandGbSecond: number;
  /** Provisioned concurrency while enabled, $ per GB-second (billed in 5-minute steps). */
  pcEnabledGbSecond: number;
  /** Duration of invocations served by provisioned environments, $ per GB-second. */
  pcDurationGbSecond: number;
}

export const PRICES: Record<Architecture, ArchitecturePrices> = {
  x86_64: { onDemandGbSecond: 0.0000166667, pcEnabledGbSecond: 0.0000041667, pcDurationGbSecond: 0.0000097222 },
  arm64: { onDemandGbSecond: 0.0000133334, pcEnabledGbSecond: 0.0000033334, pcDurationGbSecond: 0.0000077778 },
};
export const USD_PER_REQUEST = 0.2 / 1_000_000;
/** PC is billed from enable to disable, rounded up to the nearest 5 minutes. */
export const PC_BILLING_STEP_MS = 5 * 60_000;
export const WEEKS_PER_MONTH = 365.25 / 12 / 7;

export function pricesFor(architecture: string): ArchitecturePrices {
  return architecture === "arm64" ? PRICES.arm64 : PRICES.x86_64;
}

/**
 * The utilization above which PC costs less than on-demand for the same work:
 * enabled / (on-demand − PC duration) — 60 % for both architectures.
 */
export function breakEvenUtilization(architecture: string): number {
  const prices = pricesFor(architecture);
  return prices.pcEnabledGbSecond / (prices.onDemandGbSecond - prices.pcDurationGbSecond);
}

/** Standing cost of `level` provisioned environments for `seconds`. */
export function pcEnabledCost(level: number, memoryMb: number, seconds: number, architecture: string): number {
  return level * (memoryMb / 1024) * seconds * pricesFor(architecture).pcEnabledGbSecond;
}

/** On-demand cost of one invocation (request + duration rounded up to the millisecond). */
export function onDemandInvocationCost(memoryMb: number, durationMs: number, architecture: string): number {
  return (
    USD_PER_REQUEST + (memoryMb / 1024) * (Math.ceil(durationMs) / 1000) * pricesFor(architecture).onDemandGbSecond
  );
}

/** Cost of a million invocations at `durationMs` on demand. */
export function costPerMillion(memoryMb: number, durationMs: number, architecture: string): number {
  return onDemandInvocationCost(memoryMb, durationMs, architecture) * 1_000_000;
}

export interface HourCost {
  /** Average PC level over the hour (5-minute billing applied). */
  pcLevel: number;
  /** Average concurrency actually in use (from invocations × duration). */
  averageConcurrency: number;
  /** p95 concurrency, for spill-over. */
  p95Concurrency: number;
  invocations: number;
  /** Share of the provisioned environments in use; null without PC. */
  utilization: number | null;
  spilloverInvocations: number;
  withPc: number;
  withoutPc: number;
}

/**
 * One hour's cost with a PC level and without PC. Invocations beyond the provisioned environments
 * (the p95 concurrency above the level) spill over to on-demand environments: possible cold starts.
 */
export function hourCost(input: {
  pcLevel: number;
  p95Concurrency: number;
  invocations: number;
  averageDurationMs: number;
  memoryMb: number;
  architecture: string;
}): HourCost {
  const prices = pricesFor(input.architecture);
  const gb = input.memoryMb / 1024;
  const averageConcurrency = (input.invocations * input.averageDurationMs) / 1000 / 3600;
  const level = input.pcLevel;
  const onPc = Math.min(averageConcurrency, level);
  const beyond = Math.max(0, averageConcurrency - level);
  const requests = input.invocations * USD_PER_REQUEST;
  const spillShare = input.p95Concurrency > level ? (input.p95Concurrency - level) / input.p95Concurrency : 0;
  return {
    pcLevel: level,
    averageConcurrency,
    p95Concurrency: input.p95Concurrency,
    invocations: input.invocations,
    utilization: level > 0 ? onPc / level : null,
    spilloverInvocations: input.invocations * spillShare,
    withPc:
      level * gb * 3600 * prices.pcEnabledGbSecond +
      onPc * gb * 3600 * prices.pcDurationGbSecond +
      beyond * gb * 3600 * prices.onDemandGbSecond +
      requests,
    withoutPc: averageConcurrency * gb * 3600 * prices.onDemandGbSecond + requests,
  };
}

/** "$12.34", or "<$0.01" for less than a cent. */
export function formatDollars(amount: number): string {
  if (amount > 0 && amount < 0.01) return "<$0.01";
  return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
