import { DAY_MS, MINUTE_MS } from "../clock";
import { timeZoneOffsetMs } from "../core/time-zone";
import { cpuSpeed, SIMULATOR_PARAMETERS as P, runtimeProfile } from "./parameters";
import { hashString, mix32, Random } from "./random";
import { configurationAt, type FunctionTimeline, provisionedAllocatedAt } from "./timeline";
import { demandShape, isBusinessHours } from "./traffic-shape";

/** Sample flag bits. */
export const SAMPLE_TIMEOUT = 1;
export const SAMPLE_ERROR = 2;

/**
 * One UTC day of one function at 1-minute resolution: per-minute aggregates plus a stratified sample
 * of simulated invocations (cold ones first, each sample standing for `weight` real invocations) from
 * which percentiles and REPORT lines are derived.
 */
export interface DayChunk {
  dayStartMs: number;
  invocations: Int32Array;
  errors: Int32Array;
  timeouts: Int32Array;
  throttles: Int32Array;
  coldStarts: Int32Array;
  durationSum: Float64Array;
  durationMin: Float32Array;
  durationMax: Float32Array;
  /** Peak in-flight invocations in the minute. */
  concurrencyPeak: Int32Array;
  /** Allocated provisioned concurrency (0 = none). */
  provisionedAllocated: Int32Array;
  provisionedBusy: Int32Array;
  provisionedInvocations: Int32Array;
  spilloverInvocations: Int32Array;
  /** Whether the function had reserved concurrency (its executions are then not "unreserved"). */
  reserved: Uint8Array;
  /** samples of minute i are [sampleStart[i], sampleStart[i + 1]). */
  sampleStart: Int32Array;
  sampleDuration: Float32Array;
  sampleWeight: Float32Array;
  sampleInit: Float32Array;
  sampleMemoryUsed: Uint16Array;
  sampleFlags: Uint8Array;
  /** Version executed per minute, for START lines (index into `versions`). */
  executedVersion: Uint16Array;
  versions: string[];
  memorySize: Uint16Array;
}

interface SimulationContext {
  seedKey: number;
  timeZone: string;
  historyStartMs: number;
  /** Growth (traffic, data) stops here: the world's "now" at creation. */
  anchorMs: number;
}

/** The per-minute inputs of one invocation's duration, reused across minutes (no allocation). */
interface DurationInputs {
  handlerMs: number;
  batchMs: number;
  transformMs: number;
  database: 0 | 1 | 2; // none, direct, proxy
  contention: number;
  stallChance: number;
  readsConfiguration: boolean;
  fromCache: boolean;
  writesToS3: boolean;
}

// Module-level copies: the hot loop reads these millions of times.
const COMPUTE_SIGMA = P.computeSigma;
const TRANSFORM_SIGMA = P.transformSigma;
const DIRECT_CONNECT_MS = P.directConnectMs;
const DIRECT_CONNECT_SIGMA = P.directConnectSigma;
const PROXY_CONNECT_MS = P.proxyConnectMs;
const PROXY_CONNECT_SIGMA = P.proxyConnectSigma;
const STALL_MS = P.stallMs;
const STALL_SIGMA = P.stallSigma;
const CACHE_MISS_RATE = P.cacheMissRate;
const CACHE_HIT_MS = P.cacheHitMs;
const CACHE_HIT_SIGMA = P.cacheHitSigma;
const CONFIG_QUERY_MS = P.configQueryMs;
const CONFIG_QUERY_SIGMA = P.configQuerySigma;
const S3_PUT_MS = P.s3PutMs;
const S3_PUT_SIGMA = P.s3PutSigma;
const APPLICATION_ERROR_RATE = P.applicationErrorRate;
const transformMsByKind: Record<string, number> = { ...P.transformMs };

/** Duration of one invocation's handler (no INIT): the sum of its steps, each with seeded noise. */
function drawInvocationDuration(random: Random, step: DurationInputs): number {
  let total = random.logNormal(step.handlerMs, COMPUTE_SIGMA);
  if (step.batchMs > 0) total += random.logNormal(step.batchMs, 0.15);
  if (step.transformMs > 0) total += random.logNormal(step.transformMs, TRANSFORM_SIGMA);
  if (step.database === 1) total += random.logNormal(DIRECT_CONNECT_MS * step.contention, DIRECT_CONNECT_SIGMA);
  else if (step.database === 2) total += random.logNormal(PROXY_CONNECT_MS, PROXY_CONNECT_SIGMA);
  if (step.stallChance > 0 && random.next() < step.stallChance) total += random.logNormal(STALL_MS, STALL_SIGMA);
  if (step.readsConfiguration) {
    const fromCache = step.fromCache && random.next() >= CACHE_MISS_RATE;
    total += fromCache
      ? random.logNormal(CACHE_HIT_MS, CACHE_HIT_SIGMA)
      : random.logNormal(CONFIG_QUERY_MS * step.contention, CONFIG_QUERY_SIGMA);
  }
  if (step.writesToS3) total += random.logNormal(S3_PUT_MS, S3_PUT_SIGMA);
  return total;
}

export function simulateDay(context: SimulationContext, timeline: FunctionTimeline, dayStartMs: number): DayChunk {
  const minutes = DAY_MS / MINUTE_MS;
  const chunk: DayChunk = {
    dayStartMs,
    invocations: new Int32Array(minutes),
    errors: new Int32Array(minutes),
    timeouts: new Int32Array(minutes),
    throttles: new Int32Array(minutes),
    coldStarts: new Int32Array(minutes),
    durationSum: new Float64Array(minutes),
    durationMin: new Float32Array(minutes),
    durationMax: new Float32Array(minutes),
    concurrencyPeak: new Int32Array(minutes),
    provisionedAllocated: new Int32Array(minutes),
    provisionedBusy: new Int32Array(minutes),
    provisionedInvocations: new Int32Array(minutes),
    spilloverInvocations: new Int32Array(minutes),
    reserved: new Uint8Array(minutes),
    sampleStart: new Int32Array(minutes + 1),
    sampleDuration: new Float32Array(0),
    sampleWeight: new Float32Array(0),
    sampleInit: new Float32Array(0),
    sampleMemoryUsed: new Uint16Array(0),
    sampleFlags: new Uint8Array(0),
    executedVersion: new Uint16Array(minutes),
    versions: [],
    memorySize: new Uint16Array(minutes),
  };
  // Sized for the worst case and trimmed at the end: growing JS arrays costs more than the simulation.
  const capacity = minutes * (P.warmSamplesPerMinute + P.coldSamplesPerMinute);
  const durations = new Float32Array(capacity);
  const weights = new Float32Array(capacity);
  const inits = new Float32Array(capacity);
  const memoryUsed = new Uint16Array(capacity);
  const flags = new Uint8Array(capacity);
  let sampleCount = 0;

  const step: DurationInputs = {
    handlerMs: 0,
    batchMs: 0,
    transformMs: 0,
    database: 0,
    contention: 1,
    stallChance: 0,
    readsConfiguration: false,
    fromCache: false,
    writesToS3: false,
  };
  const functionKey = mix32(context.seedKey, hashString(timeline.functionName));
  const state = {
    recentSpill: new Int32Array(P.idleEnvironmentMinutes),
    previousAverageConcurrency: 0,
    previousMeanDuration: 0,
  };
  // The warm pool only remembers the idle window, so a day can be computed on its own after a short
  // warm-up instead of replaying every day before it.
  const idleMinutes = P.idleEnvironmentMinutes;
  // Time-zone offsets per quarter hour of the chunk (offsets only change on quarter hours).
  const offsetByQuarter = new Float64Array(Math.ceil((minutes + 30) / 15) + 1).fill(Number.NaN);
  const warmupMinutes = idleMinutes + 3;
  for (let offset = -warmupMinutes; offset < minutes; offset++) {
    const minuteMs = dayStartMs + offset * MINUTE_MS;
    const record = offset >= 0;
    if (record) chunk.sampleStart[offset] = sampleCount;
    const configuration = configurationAt(timeline, minuteMs);
    if (!configuration || minuteMs < context.historyStartMs) {
      state.recentSpill[(offset + warmupMinutes) % idleMinutes] = 0;
      state.previousAverageConcurrency = 0;
      state.previousMeanDuration = 0;
      continue;
    }
    const random = new Random(mix32(functionKey, Math.floor(minuteMs / MINUTE_MS)));
    const workload = timeline.workload;
    // Local wall time by offset arithmetic (1970-01-01 was a Thursday): Intl is far too slow per minute.
    const quarter = Math.floor((offset + 30) / 15); // quarter-hour aligned: dayStart is UTC midnight
    let zoneOffset = offsetByQuarter[quarter] as number;
    if (Number.isNaN(zoneOffset)) {
      zoneOffset = timeZoneOffsetMs(minuteMs, context.timeZone);
      offsetByQuarter[quarter] = zoneOffset;
    }
    const localMs = minuteMs + zoneOffset;
    const localMinuteOfDay = Math.floor(localMs / MINUTE_MS) % 1440;
    const local = {
      hour: Math.floor(localMinuteOfDay / 60),
      minute: localMinuteOfDay % 60,
      weekday: (Math.floor(localMs / DAY_MS) + 4) % 7,
    };
    const daysOfGrowth = Math.max(0, Math.min(minuteMs, context.anchorMs) - context.historyStartMs) / DAY_MS;
    const trafficGrowth = (1 + workload.growthPerDay) ** daysOfGrowth;
    const shape = demandShape(workload, local.hour, local.minute, local.weekday);

    // Arrivals.
    let requested: number;
    if (workload.kind === "batch") {
      const batch = workload.batch;
      requested = batch && local.hour === batch.hour && local.minute === batch.minute ? 1 : 0;
    } else {
      const burst =
        isBusinessHours(local.hour, local.weekday) && random.chance(workload.burstChancePerMinute)
          ? workload.burstMultiplier * (0.7 + 0.6 * random.next())
          : 1;
      requested = random.poisson(workload.peakRequestsPerSecond * 60 * shape * trafficGrowth * burst);
    }

    // Database load seen by this minute's invocations (previous minute's concurrency: no circularity).
    const code = configuration.code;
    const ownConnections =
      code.database === "direct"
        ? state.previousAverageConcurrency
        : code.database === "proxy"
          ? state.previousAverageConcurrency * P.proxyConnectionShare
          : 0;
    const databaseLoad =
      (ownConnections + workload.backgroundConnectionsAtPeak * shape * trafficGrowth) / workload.databaseCapacity;
    const contention =
      (1 + P.contentionFactor * databaseLoad * databaseLoad) * (1 + workload.databaseGrowthPerDay) ** daysOfGrowth;
    const stallChance =
      code.database === "direct"
        ? Math.min(P.stallChanceCap, P.stallBaseChance + P.stallLoadFactor * databaseLoad ** 3)
        : code.database === "proxy"
          ? P.stallBaseChance / 4
          : 0;

    const runtime = runtimeProfile(configuration.runtime);
    const speed = cpuSpeed(configuration.memoryMb);
    const timeoutMs = configuration.timeoutSeconds * 1000;

    step.handlerMs = (workload.handlerCpuMs * runtime.computeFactor) / speed;
    step.batchMs =
      workload.kind === "batch" && workload.batch ? (workload.batch.workMs * runtime.computeFactor) / speed : 0;
    step.transformMs = ((transformMsByKind[code.transform] ?? 0) * runtime.computeFactor) / speed;
    step.database = code.database === "direct" ? 1 : code.database === "proxy" ? 2 : 0;
    step.contention = contention;
    step.stallChance = stallChance;
    step.readsConfiguration = workload.readsConfiguration;
    step.fromCache = code.configurationSource === "cache";
    step.writesToS3 = workload.writesToS3;
    // Concurrency from the previous minute's mean duration (a fresh estimate after an idle minute).
    let meanDuration = state.previousMeanDuration;
    if (meanDuration === 0 && requested > 0) {
      for (let index = 0; index < 3; index++)
        meanDuration += Math.min(drawInvocationDuration(random, step), timeoutMs) / 3;
    }
    const averageConcurrency = (requested * meanDuration) / MINUTE_MS;
    let peak =
      requested === 0
        ? 0
        : Math.min(requested, Math.ceil(averageConcurrency + 1.5 * Math.sqrt(averageConcurrency) + random.next()));

    // Throttling at the function's reserved concurrency (or the account quota).
    const limit = configuration.reservedConcurrency ?? P.accountConcurrency - P.unreservedFloor;
    let throttled = 0;
    if (peak > limit) {
      throttled = Math.round((requested * (peak - limit)) / peak);
      peak = limit;
    }
    const invocations = requested - throttled;

    // Provisioned environments first, then the warm pool, then cold starts.
    const allocated = provisionedAllocatedAt(timeline.provisioned, minuteMs);
    const provisionedBusy = Math.min(peak, allocated);
    const spillPeak = peak - provisionedBusy;
    let warmPool = 0;
    for (let slot = 0; slot < idleMinutes; slot++) {
      const spill = state.recentSpill[slot] as number;
      if (spill > warmPool) warmPool = spill;
    }
    const recycled = random.poisson(warmPool * P.environmentRecyclePerMinute);
    const onDemandInvocations = peak > 0 ? invocations - Math.round((invocations * provisionedBusy) / peak) : 0;
    const coldStarts = Math.min(onDemandInvocations, Math.max(0, spillPeak - warmPool) + recycled);
    state.recentSpill[(offset + warmupMinutes) % idleMinutes] = spillPeak;
    state.previousAverageConcurrency = averageConcurrency;
    if (!record) continue;

    const index = offset;
    chunk.invocations[index] = invocations;
    chunk.throttles[index] = throttled;
    chunk.coldStarts[index] = coldStarts;
    chunk.concurrencyPeak[index] = peak;
    chunk.provisionedAllocated[index] = allocated;
    chunk.provisionedBusy[index] = provisionedBusy;
    chunk.provisionedInvocations[index] = invocations - onDemandInvocations;
    chunk.spilloverInvocations[index] = allocated > 0 ? onDemandInvocations : 0;
    chunk.reserved[index] = configuration.reservedConcurrency === undefined ? 0 : 1;
    chunk.memorySize[index] = configuration.memoryMb;
    let versionIndex = chunk.versions.indexOf(configuration.executedVersion);
    if (versionIndex < 0) versionIndex = chunk.versions.push(configuration.executedVersion) - 1;
    chunk.executedVersion[index] = versionIndex;
    if (invocations === 0) {
      state.previousMeanDuration = 0;
      continue;
    }

    // Stratified sample: every cold start up to the cap, then warm invocations.
    const coldSampleCount = Math.min(coldStarts, P.coldSamplesPerMinute);
    const warmInvocations = invocations - coldStarts;
    const warmSampleCount = Math.min(warmInvocations, P.warmSamplesPerMinute);
    const coldWeight = coldSampleCount > 0 ? coldStarts / coldSampleCount : 0;
    const warmWeight = warmSampleCount > 0 ? warmInvocations / warmSampleCount : 0;
    const importMs = code.packageMb * runtime.importMsPerMb;
    const initMedian = Math.min(P.initCapMs, (runtime.initBaseMs + importMs) / Math.min(speed, 1));
    const memoryBase = workload.baseMemoryUsedMb + code.packageMb * 0.9;
    let sum = 0;
    let minimum = Number.POSITIVE_INFINITY;
    let maximum = 0;
    let timeoutWeight = 0;
    let errorWeight = 0;
    for (let sample = 0; sample < coldSampleCount + warmSampleCount; sample++) {
      const cold = sample < coldSampleCount;
      let duration = drawInvocationDuration(random, step);
      let init = 0;
      if (cold) {
        init = Math.min(P.initCapMs, random.logNormal(initMedian, P.initSigma));
        duration += (importMs * P.firstInvocationImportShare) / Math.min(speed, 1);
      }
      let flag = 0;
      if (duration >= timeoutMs) {
        duration = timeoutMs;
        flag = SAMPLE_TIMEOUT;
      } else if (random.next() < APPLICATION_ERROR_RATE) {
        flag = SAMPLE_ERROR;
      }
      const weight = cold ? coldWeight : warmWeight;
      durations[sampleCount] = duration;
      weights[sampleCount] = weight;
      inits[sampleCount] = init;
      flags[sampleCount] = flag;
      memoryUsed[sampleCount] = Math.min(configuration.memoryMb, Math.round(memoryBase * (0.95 + 0.1 * random.next())));
      sampleCount++;
      sum += duration * weight;
      if (duration < minimum) minimum = duration;
      if (duration > maximum) maximum = duration;
      if (flag === SAMPLE_TIMEOUT) timeoutWeight += weight;
      if (flag === SAMPLE_ERROR) errorWeight += weight;
    }
    state.previousMeanDuration = sum / invocations;
    const timeouts = Math.round(timeoutWeight);
    chunk.timeouts[index] = timeouts;
    chunk.errors[index] = timeouts + Math.round(errorWeight);
    chunk.durationSum[index] = sum;
    chunk.durationMin[index] = minimum;
    chunk.durationMax[index] = maximum;
  }
  chunk.sampleStart[minutes] = sampleCount;
  chunk.sampleDuration = durations.slice(0, sampleCount);
  chunk.sampleWeight = weights.slice(0, sampleCount);
  chunk.sampleInit = inits.slice(0, sampleCount);
  chunk.sampleMemoryUsed = memoryUsed.slice(0, sampleCount);
  chunk.sampleFlags = flags.slice(0, sampleCount);
  return chunk;
}

/**
 * One invocation made through the Invoke API (not part of the simulated traffic): the same duration
 * model at the database load of that moment, cold when no environment of the qualifier is warm.
 */
export function simulateSingleInvocation(input: {
  workload: import("./parameters").WorkloadProfile;
  configuration: import("./timeline").ConfigurationSegment;
  cold: boolean;
  seed: number;
  databaseGrowthDays: number;
}): { durationMs: number; initMs: number; memoryUsedMb: number; timedOut: boolean } {
  const random = new Random(input.seed);
  const { workload, configuration } = input;
  const code = configuration.code;
  const runtime = runtimeProfile(configuration.runtime);
  const speed = cpuSpeed(configuration.memoryMb);
  const load = (workload.backgroundConnectionsAtPeak * 0.5) / workload.databaseCapacity;
  const step: DurationInputs = {
    handlerMs: (workload.handlerCpuMs * runtime.computeFactor) / speed,
    batchMs: workload.kind === "batch" && workload.batch ? (workload.batch.workMs * runtime.computeFactor) / speed : 0,
    transformMs: ((transformMsByKind[code.transform] ?? 0) * runtime.computeFactor) / speed,
    database: code.database === "direct" ? 1 : code.database === "proxy" ? 2 : 0,
    contention:
      (1 + P.contentionFactor * load * load) * (1 + workload.databaseGrowthPerDay) ** input.databaseGrowthDays,
    stallChance: code.database === "direct" ? P.stallBaseChance : 0,
    readsConfiguration: workload.readsConfiguration,
    fromCache: code.configurationSource === "cache",
    writesToS3: workload.writesToS3,
  };
  let durationMs = drawInvocationDuration(random, step);
  const importMs = code.packageMb * runtime.importMsPerMb;
  let initMs = 0;
  if (input.cold) {
    initMs = Math.min(P.initCapMs, random.logNormal((runtime.initBaseMs + importMs) / Math.min(speed, 1), P.initSigma));
    durationMs += (importMs * P.firstInvocationImportShare) / Math.min(speed, 1);
  }
  const timeoutMs = configuration.timeoutSeconds * 1000;
  const timedOut = durationMs >= timeoutMs;
  const memoryUsedMb = Math.min(
    configuration.memoryMb,
    Math.round((workload.baseMemoryUsedMb + code.packageMb * 0.9) * (0.95 + 0.1 * random.next())),
  );
  return { durationMs: timedOut ? timeoutMs : durationMs, initMs, memoryUsedMb, timedOut };
}
