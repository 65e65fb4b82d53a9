import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { STAGE_NAMES } from "../lib/config/pc-schedule.js";
import { loadStagesFile } from "../lib/config/stage-config.js";
import { loadTemplate, onlyResource } from "./helpers/synthesis.js";

const { stages } = loadStagesFile();

/**
 * Logical IDs of stateful resources. Changing one makes CloudFormation replace the resource
 * (a new, empty database or bucket), so a refactor that moves or renames these constructs must
 * fail here first.
 */
const STATEFUL_LOGICAL_IDS: Record<string, string> = {
  DatabaseB269D8BB: "AWS::RDS::DBCluster",
  DatabaseWriter7794273E: "AWS::RDS::DBInstance",
  AdminSecretB9452750: "AWS::SecretsManager::Secret",
  AppUserSecret4AC93B38: "AWS::SecretsManager::Secret",
  ProxyCB0DFB71: "AWS::RDS::DBProxy",
  ConfigCache: "AWS::ElastiCache::ServerlessCache",
  ExportBucket4E99310E: "AWS::S3::Bucket",
  ExportAccessLogBucketD312B5AA: "AWS::S3::Bucket",
};

describe.each(STAGE_NAMES)("%s data stack", (stage) => {
  let template: Template;
  beforeAll(() => {
    template = loadTemplate(inject("assemblyDir"), stage, "Data");
  });

  it("keeps the logical IDs of its stateful resources", () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string }>;
    for (const [logicalId, type] of Object.entries(STATEFUL_LOGICAL_IDS)) {
      expect(resources[logicalId]?.Type, logicalId).toBe(type);
    }
  });

  it("puts an RDS Proxy with TLS required and IAM authentication in front of Aurora PostgreSQL", () => {
    template.hasResourceProperties("AWS::RDS::DBProxy", {
      EngineFamily: "POSTGRESQL",
      RequireTLS: true,
      Auth: [
        Match.objectLike({
          AuthScheme: "SECRETS",
          IAMAuth: "REQUIRED",
          SecretArn: { Ref: Match.stringLikeRegexp("^AppUserSecretAttachment") },
        }),
      ],
    });
    template.hasResourceProperties("AWS::RDS::DBProxyTargetGroup", {
      DBClusterIdentifiers: [{ Ref: "DatabaseB269D8BB" }],
      ConnectionPoolConfigurationInfo: Match.objectLike({ ConnectionBorrowTimeout: 5 }),
    });
  });

  it("creates an encrypted, protected Aurora Serverless v2 cluster that forces TLS and keeps a final snapshot", () => {
    // Act
    const config = stages[stage].database;
    if (config.mode !== "create") throw new Error("the shipped config creates the cluster");
    const cluster = template.toJSON().Resources.DatabaseB269D8BB;

    // Assess
    expect(cluster.DeletionPolicy).toBe("Snapshot");
    expect(cluster.Properties).toMatchObject({
      Engine: "aurora-postgresql",
      StorageEncrypted: true,
      DeletionProtection: true,
      EnableIAMDatabaseAuthentication: true,
      BackupRetentionPeriod: config.backupRetentionDays,
      ServerlessV2ScalingConfiguration: { MinCapacity: config.minCapacityAcu, MaxCapacity: config.maxCapacityAcu },
      EnableCloudwatchLogsExports: ["postgresql"],
      EnableHttpEndpoint: true,
    });
    template.hasResourceProperties("AWS::RDS::DBClusterParameterGroup", { Parameters: { "rds.force_ssl": "1" } });
    template.resourceCountIs("AWS::RDS::DBInstance", 1 + config.readers);
  });

  it("lets only the proxy and the rotation functions reach the database port", () => {
    // Act
    const ingress = Object.values(template.findResources("AWS::EC2::SecurityGroupIngress")) as {
      Properties: Record<string, unknown>;
    }[];

    // Assess
    expect(ingress).toHaveLength(2);
    const sources = ingress.map((rule) => JSON.stringify(rule.Properties.SourceSecurityGroupId)).sort();
    expect(sources[0]).toMatch(/ProxySecurityGroup/);
    expect(sources[1]).toMatch(/RotationSecurityGroup/);
    for (const rule of ingress) {
      expect(rule.Properties.FromPort).toEqual({ "Fn::GetAtt": ["DatabaseB269D8BB", "Endpoint.Port"] });
      expect(rule.Properties.ToPort).toEqual(rule.Properties.FromPort);
    }
  });

  it("retains and rotates both database secrets", () => {
    const resources = template.toJSON().Resources as Record<string, { DeletionPolicy?: string }>;
    expect(resources.AdminSecretB9452750?.DeletionPolicy).toBe("Retain");
    expect(resources.AppUserSecret4AC93B38?.DeletionPolicy).toBe("Retain");
    const rotations = template.findResources("AWS::SecretsManager::RotationSchedule", {
      Properties: {
        HostedRotationLambda: Match.objectLike({ RotationType: "PostgreSQLSingleUser" }),
        RotationRules: { ScheduleExpression: `rate(${stages[stage].database.secretRotationDays} days)` },
      },
    });
    expect(Object.keys(rotations)).toHaveLength(2);
  });

  it("runs a serverless Valkey cache in the isolated subnets behind its security group", () => {
    // Act
    const { resource } = onlyResource(template, "AWS::ElastiCache::ServerlessCache");

    // Assess
    expect(resource.DeletionPolicy).toBe("Delete");
    expect(resource.Properties).toMatchObject({
      Engine: stages[stage].cache.engine,
      MajorEngineVersion: stages[stage].cache.majorEngineVersion,
      CacheUsageLimits: {
        DataStorage: { Maximum: stages[stage].cache.maxDataStorageGb, Unit: "GB" },
        ECPUPerSecond: { Maximum: stages[stage].cache.maxEcpuPerSecond },
      },
    });
    expect(JSON.stringify(resource.Properties?.SecurityGroupIds)).toMatch(/CacheSecurityGroup/);
    expect(resource.Properties?.ServerlessCacheName).toBe(`phoenix-${stage}-data-cache`);
  });

  it("keeps the export bucket private, encrypted, TLS-only, logged and expiring", () => {
    // Assess
    const bucket = template.toJSON().Resources.ExportBucket4E99310E;
    expect(bucket.DeletionPolicy).toBe("Retain");
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: "ExportAccessLogBucketD312B5AA" } },
      LifecycleConfiguration: {
        Rules: [
          expect.objectContaining({ Status: "Enabled", ExpirationInDays: stages[stage].exports.expireAfterDays }),
        ],
      },
    });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: "ExportBucket4E99310E" },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("grants export writing on the export prefix only", () => {
    template.hasResourceProperties("AWS::IAM::ManagedPolicy", {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: Match.arrayWith(["s3:GetObject", "s3:PutObject"]),
            Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": ["ExportBucket4E99310E", "Arn"] }, "/exports/*"]] },
          }),
        ],
      },
    });
  });
});
