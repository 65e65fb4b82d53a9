/**
 * Per-stage settings (`infra/config/stages.json`): network, function sizing (where the
 * power-tuning result goes), database, cache, exports, API, alarm thresholds and Phoenix's access.
 *
 * Validated with zod so a typo fails synthesis with a message instead of deploying something odd.
 * Like pc-schedule.ts, this module has no CDK imports.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

// CloudWatch Logs accepts only these retention periods (days).
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const logRetentionDaysSchema = z.int().refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
  message: `log retention must be one of ${LOG_RETENTION_DAYS.join(", ")} days`,
});

const awsRegionSchema = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "region must look like us-east-1");

const createdNetworkSchema = z.object({
  mode: z.literal("create"),
  cidr: z.cidrv4(),
  // Explicit AZs keep synthesis free of context lookups (no AWS account needed).
  availabilityZones: z.array(z.string().min(1)).min(2).max(3),
  flowLogRetentionDays: logRetentionDaysSchema,
});

const importedNetworkSchema = z.object({
  mode: z.literal("import"),
  vpcId: z.string().regex(/^vpc-[0-9a-f]+$/),
  availabilityZones: z.array(z.string().min(1)).min(2).max(3),
  isolatedSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/)).min(2),
  isolatedSubnetRouteTableIds: z.array(z.string().regex(/^rtb-[0-9a-f]+$/)).min(2),
  createS3GatewayEndpoint: z.boolean(),
});

const createdDatabaseSchema = z.object({
  mode: z.literal("create"),
  engineVersion: z.string().regex(/^\d+\.\d+$/),
  databaseName: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  adminUser: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  appUser: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  minCapacityAcu: z.number().min(0).max(256),
  maxCapacityAcu: z.number().min(1).max(256),
  readers: z.int().min(0).max(15),
  backupRetentionDays: z.int().min(1).max(35),
  logRetentionDays: logRetentionDaysSchema,
  secretRotationDays: z.int().min(1).max(365),
});

// The team already runs an Aurora cluster; this mode puts the proxy in front of it instead.
const importedDatabaseSchema = z.object({
  mode: z.literal("import"),
  engineVersion: z.string().regex(/^\d+\.\d+$/),
  clusterIdentifier: z.string().min(1),
  securityGroupId: z.string().regex(/^sg-[0-9a-f]+$/),
  databaseName: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  appUser: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  secretRotationDays: z.int().min(1).max(365),
});

export const stageConfigSchema = z
  .object({
    region: awsRegionSchema,
    account: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    terminationProtection: z.boolean(),
    network: z.discriminatedUnion("mode", [createdNetworkSchema, importedNetworkSchema]),
    function: z.object({
      runtime: z.enum(["nodejs22.x", "nodejs24.x"]),
      architecture: z.enum(["arm64", "x86_64"]),
      memoryMb: z.int().min(128).max(10240),
      memorySource: z.string().min(1),
      // API Gateway HTTP APIs stop waiting after 30 s, so a longer function timeout only hides failures.
      timeoutSeconds: z.int().min(1).max(29),
      logRetentionDays: logRetentionDaysSchema,
      configCacheTtlSeconds: z.int().min(0).max(86400),
    }),
    database: z.discriminatedUnion("mode", [createdDatabaseSchema, importedDatabaseSchema]),
    cache: z.object({
      engine: z.enum(["valkey", "redis"]),
      majorEngineVersion: z.string().regex(/^\d+$/),
      maxDataStorageGb: z.int().min(1).max(5000),
      maxEcpuPerSecond: z.int().min(1000).max(15000000),
      snapshotRetentionDays: z.int().min(0).max(35),
    }),
    exports: z.object({
      expireAfterDays: z.int().min(1),
      accessLogExpireAfterDays: z.int().min(1),
    }),
    api: z.object({
      throttlingRateLimit: z.number().positive(),
      throttlingBurstLimit: z.int().positive(),
      accessLogRetentionDays: logRetentionDaysSchema,
      jwtAuthorizer: z.object({ issuerUrl: z.url(), audience: z.array(z.string().min(1)).min(1) }).optional(),
    }),
    alarms: z.object({
      p90DurationThresholdMs: z.number().positive(),
      durationEvaluationMinutes: z.int().min(1),
      durationDatapointsToAlarm: z.int().min(1),
      timeoutsThreshold: z.int().min(1),
      throttlesThreshold: z.int().min(1),
      spilloverInvocationsThreshold: z.int().min(1),
      // A fraction, as CloudWatch reports ProvisionedConcurrencyUtilization (0.6 = 60 %).
      pcUtilizationLowThreshold: z.number().gt(0).lt(1),
      pcUtilizationLowForMinutes: z.int().min(15).multipleOf(5),
      notificationEmails: z.array(z.email()),
    }),
    phoenixAccess: z.object({
      trustedPrincipalArns: z.array(z.string().regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:/)),
      managedTagKey: z.string().min(1),
      managedTagValue: z.string().min(1),
      extraQueryableLogGroupArns: z.array(z.string().regex(/^arn:aws[a-z-]*:logs:/)),
    }),
  })
  .refine((stage) => stage.alarms.durationDatapointsToAlarm <= stage.alarms.durationEvaluationMinutes, {
    message: "durationDatapointsToAlarm must not exceed durationEvaluationMinutes",
    path: ["alarms", "durationDatapointsToAlarm"],
  })
  .refine(
    (stage) => stage.database.mode !== "create" || stage.database.minCapacityAcu <= stage.database.maxCapacityAcu,
    { message: "minCapacityAcu must not exceed maxCapacityAcu", path: ["database", "minCapacityAcu"] },
  )
  .refine(
    // An imported cluster lives in an existing VPC; a new VPC could not reach it.
    (stage) => stage.database.mode !== "import" || stage.network.mode === "import",
    { message: "an imported database needs the imported network it lives in", path: ["network", "mode"] },
  );

export const stagesFileSchema = z.object({
  description: z.string().optional(),
  stages: z.object({ staging: stageConfigSchema, production: stageConfigSchema }),
});

export type StageConfig = z.infer<typeof stageConfigSchema>;
export type StagesFile = z.infer<typeof stagesFileSchema>;
export type NetworkConfig = StageConfig["network"];
export type DatabaseConfig = StageConfig["database"];

export const STAGES_PATH = new URL("../../config/stages.json", import.meta.url);

/** Parses and validates the stages document; throws with every problem listed. */
export function parseStagesFile(document: unknown): StagesFile {
  const result = stagesFileSchema.safeParse(document);
  if (!result.success) {
    throw new Error(`Invalid stage configuration:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Reads and validates `infra/config/stages.json` (or another path, for tests). */
export function loadStagesFile(path: string | URL = STAGES_PATH): StagesFile {
  return parseStagesFile(JSON.parse(readFileSync(path, "utf8")));
}
