import { DAY_MS, MINUTE_MS } from "../clock";
import { timeZoneOffsetMs } from "../core/time-zone";
import { NOISE, NOISE_COLUMNS, NOISE_ROWS, noiseTable } from "./noise";
import {
  type CodeProfile,
  cpuSpeed,
  SIMULATOR_PARAMETERS as P,
  runtimeProfile,
  type WorkloadProfile,
} from "./parameters";
import { hashString, mix32, Random } from "./random";
import { type ConfigurationSegment, type FunctionTimeline, provisionedAllocatedAt } from "./timeline";
import { demandShape, isBusinessHours } from "./traffic-shape";

/** Sample flag bits. */
export const SAMPLE_TIMEOUT = 1;
export const SAMPLE_ERROR = 2;
/** The configuration read hit / missed the cache (only when the code reads it through a cache). */
export const SAMPLE_CACHE_HIT = 4;
export const SAMPLE_CACHE_MISS = 8;

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
  /** Per minute, the samples' positions (relative to the minute's first) in ascending duration. */
  sampleOrder: Uint8Array;
  /** Version executed per minute, for START lines (index into `versions`). */
  executedVersion: Uint16Array;
  /**
   * 1 when the minute's code publishes the optimized handler's own metrics (EMF, namespace Phoenix);
   * for such days `sampleDbMs`/`sampleS3Ms` hold each sample's database and S3 time (else empty).
   */
  handlerMetrics: Uint8Array;
  sampleDbMs: Float32Array;
  sampleS3Ms: Float32Array;
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

/** The per-minute medians of one invocation's steps (ms), reused across minutes (no allocation). */
interface DurationInputs {
  handlerMs: number;
  batchMs: number;
  transformMs: number;
  /** Median of the connection step: direct TLS × slow-down, through the proxy, or 0. */
  directConnectMs: number;
  proxyConnectMs: number;
  stallChance: number;
  /** Median of a configuration read from the database (× slow-down), or 0 when none is read. */
  configQueryMs: number;
  /** Median of a configuration read that hits the cache (0: no cache; misses go to the database). */
  cacheHitMs: number;
  s3PutMs: number;
}

const STALL_MS = P.stallMs;
const DATABASE_JITTER_SIGMA = P.databaseJitterSigma;
const CACHE_MISS_RATE = P.cacheMissRate;
const CACHE_HIT_MS = P.cacheHitMs;
const APPLICATION_ERROR_RATE = P.applicationErrorRate;
const transformMsByKind: Record<string, number> = { ...P.transformMs };
const NOISE_SIGMAS = {
  compute: P.computeSigma,
  transform: P.transformSigma,
  connect: P.directConnectSigma,
  proxy: P.proxyConnectSigma,
  query: P.configQuerySigma,
  cacheHit: P.cacheHitSigma,
  s3: P.s3PutSigma,
  stall: P.stallSigma,
  init: P.initSigma,
  batch: P.batchSigma,
};
const C_COMPUTE = NOISE.LN_COMPUTE;
const C_TRANSFORM = NOISE.LN_TRANSFORM;
const C_CONNECT = NOISE.LN_CONNECT;
const C_PROXY = NOISE.LN_PROXY;
const C_QUERY = NOISE.LN_QUERY;
const C_CACHE_HIT = NOISE.LN_CACHE_HIT;
const C_S3 = NOISE.LN_S3;
const C_STALL = NOISE.LN_STALL;
const C_BATCH = NOISE.LN_BATCH;
const U_STALL = NOISE.U_STALL;
const U_CACHE_MISS = NOISE.U_CACHE_MISS;

/**
 * Duration of one invocation's handler (no INIT): the sum of its steps, each its minute's median times
 * the seeded log-normal factor of noise row `row` (see ./noise.ts).
 */
function invocationDuration(
  noise: Float32Array,
  rowA: number,
  rowB: number,
  step: DurationInputs,
  stall: -1 | 0 | 1 = -1,
): number {
  // Every step is computed (a step that does not apply has a median of 0): no branch the optimizer
  // has not seen, whatever the function's code profile. `stall`: 1/0 forces a stall or none (the
  // stalled stratum of a minute), −1 draws it from the row.
  const stalled = stall >= 0 ? stall : (noise[rowB + U_STALL] as number) < step.stallChance ? 1 : 0;
  const cacheHit = step.cacheHitMs > 0 && (noise[rowB + U_CACHE_MISS] as number) >= CACHE_MISS_RATE;
  return (
    step.handlerMs * (noise[rowA + C_COMPUTE] as number) +
    step.batchMs * (noise[rowA + C_BATCH] as number) +
    step.transformMs * (noise[rowA + C_TRANSFORM] as number) +
    step.s3PutMs * (noise[rowA + C_S3] as number) +
    step.directConnectMs * (noise[rowB + C_CONNECT] as number) +
    step.proxyConnectMs * (noise[rowB + C_PROXY] as number) +
    stalled * STALL_MS * (noise[rowB + C_STALL] as number) +
    (cacheHit
      ? step.cacheHitMs * (noise[rowB + C_CACHE_HIT] as number)
      : step.configQueryMs * (noise[rowB + C_QUERY] as number))
  );
}

/**
 * The parts of one invocation the optimized handler reports about itself (EMF): time spent on the
 * database (connection, a hung connection, the configuration query on a cache miss), on the S3 put,
 * and whether the configuration read hit the cache. Same noise rows as `invocationDuration`.
 */
function handlerParts(
  noise: Float32Array,
  rowA: number,
  rowB: number,
  step: DurationInputs,
  stall: -1 | 0 | 1,
  out: { dbMs: number; s3Ms: number; cache: number },
): void {
  const stalled = stall >= 0 ? stall : (noise[rowB + U_STALL] as number) < step.stallChance ? 1 : 0;
  const usesCache = step.cacheHitMs > 0;
  const cacheHit = usesCache && (noise[rowB + U_CACHE_MISS] as number) >= CACHE_MISS_RATE;
  out.dbMs =
    step.directConnectMs * (noise[rowB + C_CONNECT] as number) +
    step.proxyConnectMs * (noise[rowB + C_PROXY] as number) +
    stalled * STALL_MS * (noise[rowB + C_STALL] as number) +
    (cacheHit ? 0 : step.configQueryMs * (noise[rowB + C_QUERY] as number));
  out.s3Ms = step.s3PutMs * (noise[rowA + C_S3] as number);
  out.cache = usesCache ? (cacheHit ? SAMPLE_CACHE_HIT : SAMPLE_CACHE_MISS) : 0;
}

/** Offset of a random noise row. */
function noiseRow(random: Random): number {
  return ((random.next() * NOISE_ROWS) | 0) * NOISE_COLUMNS;
}

/** Fills `step` with the medians of one minute's steps. */
function stepMedians(
  step: DurationInputs,
  workload: WorkloadProfile,
  configuration: ConfigurationSegment,
  slowdown: number,
  stallChance: number,
): void {
  const code = configuration.code;
  const runtime = runtimeProfile(configuration.runtime);
  const speed = cpuSpeed(configuration.memoryMb);
  const cpu = runtime.computeFactor / speed;
  step.handlerMs = workload.handlerCpuMs * cpu;
  step.batchMs = workload.kind === "batch" && workload.batch ? workload.batch.workMs * cpu : 0;
  step.transformMs = (transformMsByKind[code.transform] ?? 0) * cpu;
  step.directConnectMs = code.database === "direct" ? P.directConnectMs * slowdown : 0;
  step.proxyConnectMs = code.database === "proxy" ? P.proxyConnectMs : 0;
  step.stallChance = stallChance;
  step.configQueryMs = workload.readsConfiguration ? P.configQueryMs * slowdown : 0;
  step.cacheHitMs = workload.readsConfiguration && code.configurationSource === "cache" ? CACHE_HIT_MS : 0;
  step.s3PutMs = workload.writesToS3 ? P.s3PutMs : 0;
}

function newStep(): DurationInputs {
  return {
    handlerMs: 0,
    batchMs: 0,
    transformMs: 0,
    directConnectMs: 0,
    proxyConnectMs: 0,
    stallChance: 0,
    configQueryMs: 0,
    cacheHitMs: 0,
    s3PutMs: 0,
  };
}

/** Chance per invocation of a hung connection at database `load`. */
function stallChanceFor(database: CodeProfile["database"], load: number): number {
  if (database === "direct") return Math.min(P.stallChanceCap, P.stallBaseChance * (1 + P.stallLoadFactor * load));
  return database === "proxy" ? P.stallBaseChance * P.proxyStallShare : 0;
}

const MINUTES_PER_DAY = DAY_MS / MINUTE_MS;
const SAMPLES_PER_MINUTE = P.warmSamplesPerMinute + P.coldSamplesPerMinute + P.stallSamplesPerMinute;

/**
 * The sample buffers of one day being simulated, and the running aggregates of the minute being
 * sampled. One class (one hidden class) so that the hot sampling function stays monomorphic.
 */
class SampleWriter {
  readonly durations: Float32Array;
  readonly weights: Float32Array;
  readonly inits: Float32Array;
  readonly memoryUsed: Uint16Array;
  readonly flags: Uint8Array;
  readonly order: Uint8Array;
  readonly dbMs: Float32Array;
  readonly s3Ms: Float32Array;
  /** Whether any minute of the day being simulated publishes handler metrics. */
  anyHandlerMetrics = false;
  private readonly parts = { dbMs: 0, s3Ms: 0, cache: 0 };
  private readonly sortedValues = new Float64Array(SAMPLES_PER_MINUTE);
  private readonly sortedIndex = new Uint8Array(SAMPLES_PER_MINUTE);
  count = 0;
  sum = 0;
  minimum = 0;
  maximum = 0;
  timeoutWeight = 0;
  errorWeight = 0;

  constructor(capacity: number) {
    this.durations = new Float32Array(capacity);
    this.weights = new Float32Array(capacity);
    this.inits = new Float32Array(capacity);
    this.memoryUsed = new Uint16Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.order = new Uint8Array(capacity);
    this.dbMs = new Float32Array(capacity);
    this.s3Ms = new Float32Array(capacity);
  }

  /**
   * Simulates `coldCount` cold then `warmCount` warm invocations of one minute: each picks a noise
   * row, sums its steps, adds INIT and lazy imports when cold, and is cut at the timeout.
   */
  sampleMinute(
    noise: Float32Array,
    random: Random,
    step: DurationInputs,
    coldCount: number,
    stallCount: number,
    warmCount: number,
    coldWeight: number,
    stallWeight: number,
    warmWeight: number,
    initMedian: number,
    lazyImportMs: number,
    timeoutMs: number,
    memoryBase: number,
    memoryMb: number,
    handlerMetrics: boolean,
  ): void {
    const first = this.count;
    const parts = this.parts;
    const stallEnd = coldCount + stallCount;
    const total = stallEnd + warmCount;
    const sortedValues = this.sortedValues;
    const sortedIndex = this.sortedIndex;
    let sum = 0;
    let minimum = Number.POSITIVE_INFINITY;
    let maximum = 0;
    let timeoutWeight = 0;
    let errorWeight = 0;
    for (let sample = 0; sample < total; sample++) {
      const cold = sample < coldCount;
      const stalled = !cold && sample < stallEnd;
      const row = noiseRow(random);
      const rowB = noiseRow(random);
      const stall = cold ? -1 : stalled ? 1 : 0;
      let duration = invocationDuration(noise, row, rowB, step, stall);
      let init = 0;
      if (cold) {
        init = Math.min(INIT_CAP_MS, initMedian * (noise[row + C_INIT] as number));
        duration += lazyImportMs;
      }
      let flag = 0;
      if (duration >= timeoutMs) {
        duration = timeoutMs;
        flag = SAMPLE_TIMEOUT;
      } else if ((noise[row + U_ERROR] as number) < APPLICATION_ERROR_RATE) {
        flag = SAMPLE_ERROR;
      }
      const weight = cold ? coldWeight : stalled ? stallWeight : warmWeight;
      // Stored at the REPORT line's precision (0.01 ms).
      const stored = Math.fround(Math.round(duration * 100) / 100);
      const at = first + sample;
      this.durations[at] = stored;
      this.weights[at] = weight;
      this.inits[at] = init;
      if (handlerMetrics) {
        handlerParts(noise, row, rowB, step, stall, parts);
        this.flags[at] = flag | parts.cache;
        this.dbMs[at] = parts.dbMs;
        this.s3Ms[at] = parts.s3Ms;
      } else {
        this.flags[at] = flag;
        this.dbMs[at] = 0;
        this.s3Ms[at] = 0;
      }
      this.memoryUsed[at] = Math.min(
        memoryMb,
        Math.round(memoryBase * (0.95 + 0.1 * (noise[row + U_MEMORY] as number))),
      );
      // Insertion into the minute's order by duration (at most SAMPLES_PER_MINUTE entries).
      let position = sample;
      while (position > 0 && (sortedValues[position - 1] as number) > stored) {
        sortedValues[position] = sortedValues[position - 1] as number;
        sortedIndex[position] = sortedIndex[position - 1] as number;
        position--;
      }
      sortedValues[position] = stored;
      sortedIndex[position] = sample;
      sum += duration * weight;
      if (duration < minimum) minimum = duration;
      if (duration > maximum) maximum = duration;
      if (flag === SAMPLE_TIMEOUT) timeoutWeight += weight;
      else if (flag === SAMPLE_ERROR) errorWeight += weight;
    }
    this.order.set(sortedIndex.subarray(0, total), first);
    this.count = first + total;
    this.sum = sum;
    this.minimum = minimum;
    this.maximum = maximum;
    this.timeoutWeight = timeoutWeight;
    this.errorWeight = errorWeight;
  }
}

/** Scratch buffers shared by every simulated day (a day is simulated synchronously, one at a time). */
let sharedWriter: SampleWriter | undefined;

const INIT_CAP_MS = P.initCapMs;
const C_INIT = NOISE.LN_INIT;
const U_ERROR = NOISE.U_ERROR;
const U_MEMORY = NOISE.U_MEMORY;

/** What the traffic runs in one configuration segment, flattened into numbers for the minute loop. */
class SegmentView {
  fromMs = 0;
  untilMs = 0;
  memoryMb = 0;
  timeoutMs = 0;
  /** Concurrency limit (reserved concurrency, or the account's unreserved share). */
  limit = 0;
  reserved = 0;
  /** 0 none, 1 direct, 2 proxy. */
  database = 0;
  initMedian = 0;
  lazyImportMs = 0;
  memoryBase = 0;
  versionIndex = 0;
  /** 1 when the code publishes the optimized handler's own metrics. */
  handlerMetrics = 0;
  /** Medians at slow-down 1 of the steps that slow down with the database. */
  directConnectMs = 0;
  configQueryMs = 0;
  readonly step = newStep();

  load(
    workload: WorkloadProfile,
    segment: ConfigurationSegment,
    fromMs: number,
    untilMs: number,
    versionIndex: number,
  ): void {
    const code = segment.code;
    const runtime = runtimeProfile(segment.runtime);
    const cpuShare = Math.min(cpuSpeed(segment.memoryMb), 1);
    const importMs = code.packageMb * runtime.importMsPerMb;
    this.fromMs = fromMs;
    this.untilMs = untilMs;
    this.memoryMb = segment.memoryMb;
    this.timeoutMs = segment.timeoutSeconds * 1000;
    this.reserved = segment.reservedConcurrency === undefined ? 0 : 1;
    this.limit = segment.reservedConcurrency ?? P.accountConcurrency - P.unreservedFloor;
    this.database = code.database === "direct" ? 1 : code.database === "proxy" ? 2 : 0;
    this.initMedian = Math.min(P.initCapMs, (runtime.initBaseMs + importMs) / cpuShare);
    this.lazyImportMs = (importMs * P.firstInvocationImportShare) / cpuShare;
    this.memoryBase = workload.baseMemoryUsedMb + code.packageMb * 0.9;
    this.versionIndex = versionIndex;
    this.handlerMetrics = code.handlerMetrics ? 1 : 0;
    stepMedians(this.step, workload, segment, 1, 0);
    this.directConnectMs = this.step.directConnectMs;
    this.configQueryMs = this.step.configQueryMs;
  }

  /** Sets the minute's database-dependent medians. */
  slowDown(slowdown: number, load: number): void {
    const step = this.step;
    step.directConnectMs = this.directConnectMs * slowdown;
    step.configQueryMs = this.configQueryMs * slowdown;
    step.stallChance =
      this.database === 1
        ? Math.min(P.stallChanceCap, P.stallBaseChance * (1 + P.stallLoadFactor * load))
        : this.database === 2
          ? P.stallBaseChance * P.proxyStallShare
          : 0;
  }
}

/** Traffic shape of one workload, flattened into numbers. */
interface WorkloadView {
  nightFactor: number;
  weekendFactor: number;
  peakPerMinute: number;
  /** ln(1 + growth per day): growth factors are exp(days × this). */
  logTrafficGrowth: number;
  logDatabaseGrowth: number;
  burstChance: number;
  burstMultiplier: number;
  backgroundConnections: number;
  databaseCapacity: number;
  batchHour: number;
  batchMinute: number;
}

function workloadView(workload: WorkloadProfile): WorkloadView {
  const batch = workload.kind === "batch" ? workload.batch : undefined;
  return {
    nightFactor: workload.nightFactor,
    weekendFactor: workload.weekendFactor,
    peakPerMinute: workload.peakRequestsPerSecond * 60,
    logTrafficGrowth: Math.log1p(workload.growthPerDay),
    logDatabaseGrowth: Math.log1p(workload.databaseGrowthPerDay),
    burstChance: workload.burstChancePerMinute,
    burstMultiplier: workload.burstMultiplier,
    backgroundConnections: workload.backgroundConnectionsAtPeak,
    databaseCapacity: workload.databaseCapacity,
    batchHour: batch ? batch.hour : -1,
    batchMinute: batch ? batch.minute : -1,
  };
}

export function simulateDay(context: SimulationContext, timeline: FunctionTimeline, dayStartMs: number): DayChunk {
  const minutes = MINUTES_PER_DAY;
  const noise = noiseTable(NOISE_SIGMAS);
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
    sampleOrder: new Uint8Array(0),
    executedVersion: new Uint16Array(minutes),
    versions: [],
    memorySize: new Uint16Array(minutes),
    handlerMetrics: new Uint8Array(minutes),
    sampleDbMs: new Float32Array(0),
    sampleS3Ms: new Float32Array(0),
  };
  // Sized for the worst case and trimmed at the end: growing JS arrays costs more than the simulation.
  if (!sharedWriter) sharedWriter = new SampleWriter(minutes * SAMPLES_PER_MINUTE);
  const writer = sharedWriter;
  writer.count = 0;
  writer.anyHandlerMetrics = false;
  const workload = workloadView(timeline.workload);
  const hasProvisioned = timeline.provisioned.length > 0;
  const functionKey = mix32(context.seedKey, hashString(timeline.functionName));
  const idleMinutes = P.idleEnvironmentMinutes;
  const recentSpill = new Int32Array(idleMinutes);
  let previousAverageConcurrency = 0;
  let previousMeanDuration = 0;
  // The warm pool only remembers the idle window, so a day can be computed on its own after a short
  // warm-up instead of replaying every day before it.
  const warmupMinutes = idleMinutes + 3;
  const firstMs = dayStartMs - warmupMinutes * MINUTE_MS;
  // Local wall time by offset arithmetic (1970-01-01 was a Thursday): Intl is far too slow per minute.
  // Offsets change at most at a daylight-saving switch: one lookup per quarter hour only on such days.
  const offsetAtStart = timeZoneOffsetMs(firstMs, context.timeZone);
  const constantOffset = offsetAtStart === timeZoneOffsetMs(dayStartMs + DAY_MS - MINUTE_MS, context.timeZone);
  const configurations = timeline.configurations;
  let segmentIndex = -1;
  const segment = new SegmentView();
  segment.untilMs = Number.NEGATIVE_INFINITY;
  let active = false;

  for (let offset = -warmupMinutes; offset < minutes; offset++) {
    const minuteMs = dayStartMs + offset * MINUTE_MS;
    const record = offset >= 0;
    if (record) chunk.sampleStart[offset] = writer.count;
    // The configuration in force (segments are ordered; minutes only move forward).
    if (minuteMs >= segment.untilMs) {
      while (segmentIndex + 1 < configurations.length && (configurations[segmentIndex + 1]?.fromMs ?? 0) <= minuteMs)
        segmentIndex++;
      const current = segmentIndex >= 0 ? configurations[segmentIndex] : undefined;
      const untilMs = configurations[segmentIndex + 1]?.fromMs ?? Number.POSITIVE_INFINITY;
      active = current !== undefined;
      if (current) {
        let versionIndex = chunk.versions.indexOf(current.executedVersion);
        if (versionIndex < 0) versionIndex = chunk.versions.push(current.executedVersion) - 1;
        segment.load(timeline.workload, current, current.fromMs, untilMs, versionIndex);
      } else {
        segment.untilMs = untilMs;
      }
    }
    if (!active || minuteMs < context.historyStartMs) {
      recentSpill[(offset + warmupMinutes) % idleMinutes] = 0;
      previousAverageConcurrency = 0;
      previousMeanDuration = 0;
      continue;
    }
    const random = new Random(mix32(functionKey, minuteMs / MINUTE_MS));
    const localMs = minuteMs + (constantOffset ? offsetAtStart : timeZoneOffsetMs(minuteMs, context.timeZone));
    const localMinuteOfDay = Math.floor(localMs / MINUTE_MS) % 1440;
    const localHour = Math.floor(localMinuteOfDay / 60);
    const localMinute = localMinuteOfDay % 60;
    const weekday = (Math.floor(localMs / DAY_MS) + 4) % 7;
    const daysOfGrowth = Math.max(0, Math.min(minuteMs, context.anchorMs) - context.historyStartMs) / DAY_MS;
    const trafficGrowth = Math.exp(daysOfGrowth * workload.logTrafficGrowth);
    const shape = demandShape(workload, localHour, localMinute, weekday);

    // Arrivals.
    let requested: number;
    if (workload.batchHour >= 0) {
      requested = localHour === workload.batchHour && localMinute === workload.batchMinute ? 1 : 0;
    } else {
      const burst =
        isBusinessHours(localHour, weekday) && random.next() < workload.burstChance
          ? workload.burstMultiplier * (0.7 + 0.6 * random.next())
          : 1;
      requested = random.poisson(workload.peakPerMinute * shape * trafficGrowth * burst);
    }

    // Database load seen by this minute's invocations (previous minute's concurrency: no circularity).
    const database = segment.database;
    const ownConnections =
      database === 1
        ? previousAverageConcurrency
        : database === 2
          ? previousAverageConcurrency * P.proxyConnectionShare
          : 0;
    const databaseLoad =
      (ownConnections + workload.backgroundConnections * shape * trafficGrowth) / workload.databaseCapacity;
    const slowdown =
      (1 + P.contentionFactor * databaseLoad * databaseLoad) *
      Math.exp(daysOfGrowth * workload.logDatabaseGrowth) *
      Math.exp(DATABASE_JITTER_SIGMA * random.normal());
    segment.slowDown(slowdown, databaseLoad);
    const step = segment.step;
    const timeoutMs = segment.timeoutMs;

    // Concurrency from the previous minute's mean duration (a fresh estimate after an idle minute).
    let meanDuration = previousMeanDuration;
    if (meanDuration === 0 && requested > 0) {
      for (let index = 0; index < 3; index++) {
        meanDuration += Math.min(invocationDuration(noise, noiseRow(random), noiseRow(random), step), timeoutMs) / 3;
      }
    }
    const averageConcurrency = (requested * meanDuration) / MINUTE_MS;
    let peak =
      requested === 0
        ? 0
        : Math.min(requested, Math.ceil(averageConcurrency + 1.5 * Math.sqrt(averageConcurrency) + random.next()));

    // Throttling at the function's reserved concurrency (or the account quota).
    const limit = segment.limit;
    let throttled = 0;
    if (peak > limit) {
      throttled = Math.round((requested * (peak - limit)) / peak);
      peak = limit;
    }
    const invocations = requested - throttled;

    // Provisioned environments first, then the warm pool, then cold starts.
    const allocated = hasProvisioned ? provisionedAllocatedAt(timeline.provisioned, minuteMs) : 0;
    const provisionedBusy = Math.min(peak, allocated);
    const spillPeak = peak - provisionedBusy;
    let warmPool = 0;
    for (let slot = 0; slot < idleMinutes; slot++) {
      const spill = recentSpill[slot] as number;
      if (spill > warmPool) warmPool = spill;
    }
    const recycled = warmPool > 0 ? random.poisson(warmPool * P.environmentRecyclePerMinute) : 0;
    const onDemandInvocations = peak > 0 ? invocations - Math.round((invocations * provisionedBusy) / peak) : 0;
    const coldStarts = Math.min(onDemandInvocations, Math.max(0, spillPeak - warmPool) + recycled);
    recentSpill[(offset + warmupMinutes) % idleMinutes] = spillPeak;
    previousAverageConcurrency = averageConcurrency;
    if (!record) {
      if (invocations === 0) previousMeanDuration = 0;
      continue;
    }

    const index = offset;
    chunk.invocations[index] = invocations;
    chunk.throttles[index] = throttled;
    chunk.coldStarts[index] = coldStarts;
    chunk.concurrencyPeak[index] = peak;
    chunk.provisionedAllocated[index] = allocated;
    chunk.provisionedBusy[index] = provisionedBusy;
    chunk.provisionedInvocations[index] = invocations - onDemandInvocations;
    chunk.spilloverInvocations[index] = allocated > 0 ? onDemandInvocations : 0;
    chunk.reserved[index] = segment.reserved;
    chunk.memorySize[index] = segment.memoryMb;
    chunk.executedVersion[index] = segment.versionIndex;
    chunk.handlerMetrics[index] = segment.handlerMetrics;
    if (segment.handlerMetrics) writer.anyHandlerMetrics = true;
    if (invocations === 0) {
      previousMeanDuration = 0;
      continue;
    }

    // Stratified sample: cold starts, then warm invocations with a hung connection (a rare event whose
    // count is drawn for the whole minute, so timeouts are not at the mercy of a 16-invocation
    // sample), then the other warm invocations; each stratum up to its cap.
    const coldSampleCount = Math.min(coldStarts, P.coldSamplesPerMinute);
    const warmInvocations = invocations - coldStarts;
    const stalledInvocations =
      step.stallChance > 0 ? Math.min(warmInvocations, random.poisson(warmInvocations * step.stallChance)) : 0;
    const stallSampleCount = Math.min(stalledInvocations, P.stallSamplesPerMinute);
    const steadyInvocations = warmInvocations - stalledInvocations;
    const warmSampleCount = Math.min(steadyInvocations, P.warmSamplesPerMinute);
    writer.sampleMinute(
      noise,
      random,
      step,
      coldSampleCount,
      stallSampleCount,
      warmSampleCount,
      coldSampleCount > 0 ? coldStarts / coldSampleCount : 0,
      stallSampleCount > 0 ? stalledInvocations / stallSampleCount : 0,
      warmSampleCount > 0 ? steadyInvocations / warmSampleCount : 0,
      segment.initMedian,
      segment.lazyImportMs,
      timeoutMs,
      segment.memoryBase,
      segment.memoryMb,
      segment.handlerMetrics === 1,
    );
    previousMeanDuration = writer.sum / invocations;
    const timeouts = Math.round(writer.timeoutWeight);
    chunk.timeouts[index] = timeouts;
    chunk.errors[index] = timeouts + Math.round(writer.errorWeight);
    chunk.durationSum[index] = writer.sum;
    chunk.durationMin[index] = writer.minimum;
    chunk.durationMax[index] = writer.maximum;
  }
  const count = writer.count;
  chunk.sampleStart[minutes] = count;
  chunk.sampleDuration = writer.durations.slice(0, count);
  chunk.sampleWeight = writer.weights.slice(0, count);
  chunk.sampleInit = writer.inits.slice(0, count);
  chunk.sampleMemoryUsed = writer.memoryUsed.slice(0, count);
  chunk.sampleFlags = writer.flags.slice(0, count);
  chunk.sampleOrder = writer.order.slice(0, count);
  if (writer.anyHandlerMetrics) {
    chunk.sampleDbMs = writer.dbMs.slice(0, count);
    chunk.sampleS3Ms = writer.s3Ms.slice(0, count);
  }
  return chunk;
}

/**
 * One invocation made through the Invoke API (not part of the simulated traffic): the same duration
 * model at the database load of that moment, cold when no environment of the qualifier is warm.
 */
export function simulateSingleInvocation(input: {
  workload: WorkloadProfile;
  configuration: ConfigurationSegment;
  cold: boolean;
  seed: number;
  databaseGrowthDays: number;
}): { durationMs: number; initMs: number; memoryUsedMb: number; timedOut: boolean } {
  const random = new Random(input.seed);
  const noise = noiseTable(NOISE_SIGMAS);
  const { workload, configuration } = input;
  const code = configuration.code;
  const runtime = runtimeProfile(configuration.runtime);
  const cpuShare = Math.min(cpuSpeed(configuration.memoryMb), 1);
  const load = (workload.backgroundConnectionsAtPeak * 0.5) / workload.databaseCapacity;
  const step = newStep();
  const slowdown =
    (1 + P.contentionFactor * load * load) * (1 + workload.databaseGrowthPerDay) ** input.databaseGrowthDays;
  stepMedians(step, workload, configuration, slowdown, stallChanceFor(code.database, 0));
  const row = noiseRow(random);
  let durationMs = invocationDuration(noise, row, noiseRow(random), step);
  const importMs = code.packageMb * runtime.importMsPerMb;
  let initMs = 0;
  if (input.cold) {
    initMs = Math.min(
      P.initCapMs,
      ((runtime.initBaseMs + importMs) / cpuShare) * (noise[row + NOISE.LN_INIT] as number),
    );
    durationMs += (importMs * P.firstInvocationImportShare) / cpuShare;
  }
  const timeoutMs = configuration.timeoutSeconds * 1000;
  const timedOut = durationMs >= timeoutMs;
  const memoryUsedMb = Math.min(
    configuration.memoryMb,
    Math.round(
      (workload.baseMemoryUsedMb + code.packageMb * 0.9) * (0.95 + 0.1 * (noise[row + NOISE.U_MEMORY] as number)),
    ),
  );
  return { durationMs: timedOut ? timeoutMs : durationMs, initMs, memoryUsedMb, timedOut };
}
