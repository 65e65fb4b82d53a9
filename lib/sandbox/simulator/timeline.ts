import type { CodeProfile, WorkloadProfile } from "./parameters";

/**
 * What the traffic of one function runs on, as a function of time. The Lambda model appends a segment
 * whenever a change made through the APIs (or a scenario event) alters what the traffic-carrying
 * qualifier executes, so the simulated future changes from the minute the change takes effect.
 */
export interface ConfigurationSegment {
  /** Effective from this instant (ms since epoch) until the next segment. */
  fromMs: number;
  memoryMb: number;
  runtime: string;
  timeoutSeconds: number;
  /** Reserved concurrency of the function, if any. */
  reservedConcurrency?: number;
  code: CodeProfile;
  /** The version the traffic actually executes ("$LATEST" or a number), for REPORT/START lines. */
  executedVersion: string;
}

/**
 * Provisioned concurrency available to the traffic, as a linear ramp: `startAllocated` at `fromMs`,
 * reaching `target` after `rampMs` (IN_PROGRESS → READY).
 */
export interface ProvisionedSegment {
  fromMs: number;
  startAllocated: number;
  target: number;
  rampMs: number;
}

export interface FunctionTimeline {
  functionName: string;
  /** The alias the callers invoke (e.g. "live"), or undefined for unqualified calls on $LATEST. */
  trafficAlias?: string;
  workload: WorkloadProfile;
  configurations: ConfigurationSegment[];
  provisioned: ProvisionedSegment[];
}

export function configurationAt(timeline: FunctionTimeline, atMs: number): ConfigurationSegment | undefined {
  let found: ConfigurationSegment | undefined;
  for (const segment of timeline.configurations) {
    if (segment.fromMs <= atMs) found = segment;
    else break;
  }
  return found;
}

export function provisionedAllocatedAt(segments: readonly ProvisionedSegment[], atMs: number): number {
  let found: ProvisionedSegment | undefined;
  for (const segment of segments) {
    if (segment.fromMs <= atMs) found = segment;
    else break;
  }
  if (!found) return 0;
  if (found.rampMs <= 0 || atMs >= found.fromMs + found.rampMs) return found.target;
  const progress = (atMs - found.fromMs) / found.rampMs;
  return Math.floor(found.startAllocated + (found.target - found.startAllocated) * progress);
}

/** The provisioned target in force at `atMs` (what was requested, whether or not allocated yet). */
export function provisionedTargetAt(segments: readonly ProvisionedSegment[], atMs: number): number {
  let target = 0;
  for (const segment of segments) {
    if (segment.fromMs <= atMs) target = segment.target;
    else break;
  }
  return target;
}
