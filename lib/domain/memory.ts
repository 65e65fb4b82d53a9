import { costPerMillion } from "./cost";

/**
 * Memory buys CPU: at 1,769 MB a function has one vCPU's worth; the credit is linear in memory up to
 * 6 vCPUs at 10,240 MB (AWS_BEHAVIOUR.md §5.3).
 */
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
export const ONE_VCPU_MB = 1_769;

/** vCPU-equivalents of CPU credit at `memoryMb` (e.g. 0.29 at 512 MB, 5.79 at 10,240 MB). */
export function cpuShare(memoryMb: number): number {
  return memoryMb / ONE_VCPU_MB;
}

/** vCPUs the function sees (measured: 2 up to 3,008 MB, then one more every ~1,769 MB). */
export function visibleVcpus(memoryMb: number): number {
  if (memoryMb <= 3_008) return 2;
  if (memoryMb <= 5_307) return 3;
  if (memoryMb <= 7_076) return 4;
  if (memoryMb <= 8_845) return 5;
  return 6;
}

export interface MemoryEstimate {
  memoryMb: number;
  cpuShare: number;
  visibleVcpus: number;
  /** Duration if nothing speeds up (I/O-bound work): today's duration. */
  durationIfUnchangedMs: number;
  /** Duration if all of today's time were single-threaded compute: scales with CPU share up to 1 vCPU. */
  durationIfComputeBoundMs: number;
  costPerMillionIfUnchanged: number;
  costPerMillionIfComputeBound: number;
}

/**
 * What a memory size would cost per million invocations, bracketed between "duration unchanged" and
 * "duration scales with CPU share" (single-threaded: no gain above one vCPU). The truth lies between;
 * a power-tuning run measures it.
 */
export function estimateMemory(input: {
  currentMemoryMb: number;
  currentDurationMs: number;
  memoryMb: number;
  architecture: string;
}): MemoryEstimate {
  const effective = (memory: number) => Math.min(cpuShare(memory), 1);
  const computeBound = input.currentDurationMs * (effective(input.currentMemoryMb) / effective(input.memoryMb));
  return {
    memoryMb: input.memoryMb,
    cpuShare: cpuShare(input.memoryMb),
    visibleVcpus: visibleVcpus(input.memoryMb),
    durationIfUnchangedMs: input.currentDurationMs,
    durationIfComputeBoundMs: computeBound,
    costPerMillionIfUnchanged: costPerMillion(input.memoryMb, input.currentDurationMs, input.architecture),
    costPerMillionIfComputeBound: costPerMillion(input.memoryMb, computeBound, input.architecture),
  };
}
