import { createHash } from "node:crypto";
import { DAY_MS, MINUTE_MS } from "./clock";
import { AwsServiceError } from "./core/errors";
import { zonedParts, zonedTimeToUtc } from "./core/time-zone";
import type { RegionContext } from "./region";
import { type FunctionSettings, seedFunctionRecord } from "./services/lambda/model";
import { SIMULATOR_PARAMETERS } from "./simulator/parameters";
import {
  SANDBOX_ACCOUNT_ID,
  SANDBOX_TIME_ZONE,
  SCENARIO_EVENTS,
  type ScenarioEventDefinition,
  type ScenarioEventName,
  type ScenarioName,
  SEEDED_FUNCTIONS,
  type SeededFunction,
} from "./simulator/world";

/** Where the seeded history starts: UTC midnight `historyDays` before the anchor. */
export function historyStartFor(anchorMs: number): number {
  return Math.floor((anchorMs - SIMULATOR_PARAMETERS.historyDays * DAY_MS) / DAY_MS) * DAY_MS;
}

function codeSha(name: string, version: string): string {
  return createHash("sha256").update(`${name}:${version}`).digest("base64");
}

/**
 * Builds the Project Phoenix world in `region`: the functions as they were when history starts (the
 * six story functions, or a larger `fleet` that starts with them), then (scenario `followup`) the six
 * fixes applied through the same model rules on plausible past days.
 */
export function seedWorld(
  region: RegionContext,
  scenario: ScenarioName,
  fleet: readonly SeededFunction[] = SEEDED_FUNCTIONS,
): void {
  const { historyStartMs, anchorMs } = region.state.world;
  const functions = region.state.lambda.functions;
  for (const seeded of fleet) {
    const settings: FunctionSettings = {
      runtime: seeded.runtime,
      memoryMb: seeded.memoryMb,
      timeoutSeconds: seeded.timeoutSeconds,
      handler: seeded.handler,
      role: `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/phoenix-${seeded.name}-role`,
      description: seeded.description,
      architecture: seeded.architecture,
      environment: { ...seeded.environment },
      layers: seeded.layers.map((layer) => ({
        arn: `arn:aws:lambda:${region.regionName}:${SANDBOX_ACCOUNT_ID}:layer:${layer.name}:${layer.version}`,
        codeSizeBytes: layer.codeSizeBytes,
      })),
      codeSizeBytes: seeded.codeSizeBytes,
      codeSha256: codeSha(seeded.name, "seed"),
      ephemeralStorageMb: 512,
      tracingMode: "PassThrough",
    };
    const record = seedFunctionRecord({
      name: seeded.name,
      settings,
      code: { ...seeded.code },
      ...(seeded.reservedConcurrency !== undefined ? { reservedConcurrency: seeded.reservedConcurrency } : {}),
      ...(seeded.trafficAlias ? { trafficAlias: seeded.trafficAlias } : {}),
      workload: seeded.workload,
      lastModifiedMs: historyStartMs - 20 * DAY_MS,
    });
    functions[seeded.name] = record;
    region.withTime(historyStartMs - 20 * DAY_MS, () => {
      for (let index = 0; index < seeded.publishedVersions; index++) {
        record.settings.codeSha256 = codeSha(seeded.name, String(index + 1));
        region.lambda.createVersion(record, historyStartMs - (20 - index) * DAY_MS, "");
      }
      if (seeded.trafficAlias) {
        record.aliases[seeded.trafficAlias] = {
          name: seeded.trafficAlias,
          functionVersion: String(record.nextVersion - 1),
          description: "Production traffic",
          revisionId: record.revisionId,
        };
      }
    });
    region.lambda.recordTrafficChange(record, historyStartMs);
  }
  // get-user-profile is the healthy reference: a small, steady provisioned concurrency on `live`.
  region.withTime(historyStartMs - DAY_MS, () =>
    region.lambda.putProvisionedConcurrency("get-user-profile", "live", 10),
  );

  if (scenario === "followup") applyFollowupFixes(region, anchorMs, fleet);
  region.state.history.sort((a, b) => a.at - b.at);
}

/** A local time `daysBefore` the anchor, at hour:minute in the team's time zone. */
function localTimeBefore(anchorMs: number, daysBefore: number, hour: number, minute = 0): number {
  const day = zonedParts(anchorMs - daysBefore * DAY_MS, SANDBOX_TIME_ZONE);
  return zonedTimeToUtc({ year: day.year, month: day.month, day: day.day, hour, minute }, SANDBOX_TIME_ZONE);
}

/** The six action items of the review, applied in the agreed order over the past week. */
function applyFollowupFixes(region: RegionContext, anchorMs: number, fleet: readonly SeededFunction[]): void {
  const main = "process-user-request";
  const at = (daysBefore: number, hour: number) => localTimeBefore(anchorMs, daysBefore, hour);
  const settle = region.options.updateDurationMs + MINUTE_MS;
  // 1. Drop pandas (first: it changes what power tuning measures).
  applyScenarioEventAt(region, "drop-dataframe-library", main, at(7, 15));
  // 2. RDS Proxy.
  applyScenarioEventAt(region, "rds-proxy", main, at(6, 11));
  // 4. Redis cache for the user configuration.
  applyScenarioEventAt(region, "redis-cache", main, at(5, 16));
  // 3. Power tuning result: 1024 MB, published and moved to `live`.
  const tuned = at(4, 14);
  region.withTime(tuned, () => region.lambda.updateFunctionConfiguration(main, { MemorySize: 1024 }));
  region.withTime(tuned + settle, () => publishAndMoveAlias(region, main, "Power-tuned: 1024 MB"));
  // 5. Python 3.9 → 3.11 everywhere.
  const upgraded = at(3, 10);
  for (const seeded of fleet) {
    if (seeded.runtime !== "python3.9") continue;
    region.withTime(upgraded, () => region.lambda.updateFunctionConfiguration(seeded.name, { Runtime: "python3.11" }));
    if (seeded.trafficAlias)
      region.withTime(upgraded + settle, () => publishAndMoveAlias(region, seeded.name, "python3.11"));
  }
  for (const seeded of fleet) region.withTime(upgraded + settle, () => region.lambda.getFunctionRecord(seeded.name));
  // 6. Provisioned concurrency schedule: 50 on weekday business hours, 5 overnight.
  const scheduled = at(2, 9);
  region.withTime(scheduled, () => {
    const resource = `function:${main}:live`;
    const common = {
      ServiceNamespace: "lambda",
      ResourceId: resource,
      ScalableDimension: "lambda:function:ProvisionedConcurrency",
    };
    region.autoScaling.registerScalableTarget({ ...common, MinCapacity: 5, MaxCapacity: 50 });
    region.autoScaling.putScheduledAction({
      ...common,
      ScheduledActionName: "business-hours-peak",
      Schedule: "cron(0 7 ? * MON-FRI *)",
      Timezone: SANDBOX_TIME_ZONE,
      ScalableTargetAction: { MinCapacity: 50, MaxCapacity: 50 },
    });
    region.autoScaling.putScheduledAction({
      ...common,
      ScheduledActionName: "overnight-floor",
      Schedule: "cron(0 19 ? * MON-FRI *)",
      Timezone: SANDBOX_TIME_ZONE,
      ScalableTargetAction: { MinCapacity: 5, MaxCapacity: 5 },
    });
  });
  region.withTime(anchorMs, () => region.tick());
}

function publishAndMoveAlias(region: RegionContext, functionName: string, description: string): void {
  const published = region.lambda.publishVersion(functionName, { Description: description });
  const record = region.lambda.getFunctionRecord(functionName);
  const alias = record.timeline.trafficAlias;
  if (alias && record.aliases[alias])
    region.lambda.updateAlias(functionName, alias, { FunctionVersion: published.Version });
}

/**
 * Applies a code-level fix as a deployment would: $LATEST gets the new code, a version is published
 * and the traffic alias moves to it (re-provisioning its provisioned concurrency, if any).
 */
export function applyScenarioEventAt(
  region: RegionContext,
  event: ScenarioEventName,
  functionName: string,
  atMs: number,
): Record<string, unknown> {
  const definition: ScenarioEventDefinition | undefined = SCENARIO_EVENTS[event];
  if (!definition) throw new AwsServiceError("ValidationException", `Unknown scenario event ${String(event)}`, 400);
  return region.withTime(atMs, () => {
    const record = region.lambda.getFunctionRecord(functionName);
    if (record.updateCompletesAtMs !== undefined)
      throw new AwsServiceError("ResourceConflictException", `An update is in progress for ${functionName}`, 409);
    record.code = { ...record.code, ...definition.code };
    record.settings.environment = { ...record.settings.environment, ...(definition.environment ?? {}) };
    if (definition.removeLayers) record.settings.layers = [];
    if (definition.codeSizeBytes) record.settings.codeSizeBytes = definition.codeSizeBytes;
    record.settings.codeSha256 = codeSha(functionName, `${event}@${atMs}`);
    record.revisionId = crypto.randomUUID();
    record.lastModified = new Date(atMs).toISOString().replace("Z", "+0000");
    region.recordHistory({
      at: atMs,
      service: "sandbox",
      action: `ScenarioEvent:${event}`,
      resource: region.lambda.functionArn(functionName),
      detail: { title: definition.title },
    });
    const alias = record.timeline.trafficAlias;
    if (alias && record.aliases[alias]) publishAndMoveAlias(region, functionName, definition.title);
    else region.lambda.recordTrafficChange(record, atMs);
    return { event, functionName, appliedAt: new Date(atMs).toISOString() };
  });
}
