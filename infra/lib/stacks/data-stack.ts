import { Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elasticache from "aws-cdk-lib/aws-elasticache";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as rds from "aws-cdk-lib/aws-rds";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { acknowledgeNagFindings } from "../cdk-nag.js";
import type { DatabaseConfig, StageConfig } from "../config/stage-config.js";
import { POSTGRES_PORT } from "./network-stack.js";

/** Key prefix of the CSV exports (EXPORT_KEY_PREFIX); the IAM grants are scoped to it. */
export const EXPORT_KEY_PREFIX = "exports/";

export interface DataStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  readonly appSubnets: ec2.SubnetSelection;
  readonly proxySecurityGroup: ec2.ISecurityGroup;
  readonly cacheSecurityGroup: ec2.ISecurityGroup;
  readonly rotationSecurityGroup: ec2.ISecurityGroup;
  readonly database: DatabaseConfig;
  readonly cache: StageConfig["cache"];
  readonly exports: StageConfig["exports"];
}

/**
 * The stateful half of the app: Aurora PostgreSQL (new, or the team's existing cluster), the RDS
 * Proxy in front of it, the configuration cache and the export bucket.
 *
 * Kept apart from the function so a routine code deploy can never replace or delete data, and so
 * this stack can carry termination protection. Every stateful resource has an explicit removal
 * policy; their logical IDs are pinned by test/data-stack.test.ts.
 */
export class DataStack extends Stack {
  readonly proxy: rds.DatabaseProxy;
  readonly databaseName: string;
  readonly appUser: string;
  /** Credentials of the application user; the proxy reads them, the function never needs to. */
  readonly appUserSecret: secretsmanager.ISecret;
  readonly cacheEndpointAddress: string;
  readonly cacheEndpointPort: string;
  readonly exportBucket: s3.Bucket;
  /** Attach to a role to let it write exports; built with grantPut() and kept next to the bucket. */
  readonly exportWriterPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { database } = props;
    this.databaseName = database.databaseName;
    this.appUser = database.appUser;

    // The proxy and rotation bindings below add their own "→ database:5432" rules to this group.
    const databaseSecurityGroup =
      database.mode === "create"
        ? new ec2.SecurityGroup(this, "DatabaseSecurityGroup", {
            vpc: props.vpc,
            description: "Phoenix: Aurora PostgreSQL cluster",
            allowAllOutbound: false,
          })
        : ec2.SecurityGroup.fromSecurityGroupId(this, "ExistingDatabaseSecurityGroup", database.securityGroupId, {
            allowAllOutbound: false,
            mutable: true,
          });
    const cluster =
      database.mode === "create"
        ? this.createCluster(props, database, databaseSecurityGroup)
        : this.importCluster(database, databaseSecurityGroup);

    // Hosted rotation only places its function in the rotation group; the path to the database
    // is ours to open (the proxy binding below opens its own).
    cluster.connections.allowDefaultPortFrom(props.rotationSecurityGroup, "Secret rotation to Aurora");

    // The proxy authenticates to Aurora with a stored password per database user, while clients
    // authenticate to the proxy with IAM tokens. The app user therefore has its own secret, and the
    // password in it is what the one-time bootstrap SQL in infra/README.md sets.
    const appUserSecret = new rds.DatabaseSecret(this, "AppUserSecret", {
      username: database.appUser,
      dbname: database.databaseName,
    });
    appUserSecret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.appUserSecret = appUserSecret.attach(cluster);
    this.addRotation(this.appUserSecret, "AppUserSecretRotation", props, database.secretRotationDays);

    this.proxy = new rds.DatabaseProxy(this, "Proxy", {
      proxyTarget: rds.ProxyTarget.fromCluster(cluster),
      secrets: [this.appUserSecret],
      vpc: props.vpc,
      vpcSubnets: props.appSubnets,
      securityGroups: [props.proxySecurityGroup],
      iamAuth: true,
      requireTLS: true,
      // Lambda environments come and go; idle client connections are cheap to drop and reopen.
      idleClientTimeout: Duration.minutes(30),
      // Fail fast instead of piling up waiting invocations when the pool is exhausted.
      borrowTimeout: Duration.seconds(5),
      maxConnectionsPercent: 90,
      debugLogging: false,
    });

    const cache = this.createCache(props);
    this.cacheEndpointAddress = cache.attrEndpointAddress;
    this.cacheEndpointPort = cache.attrEndpointPort;

    this.exportBucket = this.createExportBucket(props.exports);
    // The grant lives in this stack as a managed policy (rather than on the function's role in the
    // function stack) so its resource is this stack's bucket, not a cross-stack output.
    this.exportWriterPolicy = new iam.ManagedPolicy(this, "ExportWriterPolicy", {
      description: "Write CSV exports into the Phoenix export bucket and presign downloads of them",
    });
    const exportObjects = `${EXPORT_KEY_PREFIX}*`;
    this.exportBucket.grantPut(this.exportWriterPolicy, exportObjects);
    // A presigned download URL only works if the signer may s3:GetObject; nothing else is read.
    iam.Grant.addToPrincipal({
      grantee: this.exportWriterPolicy,
      actions: ["s3:GetObject"],
      resourceArns: [this.exportBucket.arnForObjects(exportObjects)],
    });
    const exportBucketLogicalId = this.getLogicalId(this.exportBucket.node.defaultChild as s3.CfnBucket);
    acknowledgeNagFindings(
      this.exportWriterPolicy,
      "Objects under the export prefix of the one export bucket: the handler chooses a new key per export; s3:Abort* lets it clean up failed multipart uploads.",
      [
        "AwsSolutions-IAM5[Action::s3:Abort*]",
        `AwsSolutions-IAM5[Resource::<${exportBucketLogicalId}.Arn>/${exportObjects}]`,
      ],
    );
  }

  private createCluster(
    props: DataStackProps,
    database: Extract<DatabaseConfig, { mode: "create" }>,
    securityGroup: ec2.ISecurityGroup,
  ): rds.DatabaseCluster {
    const majorVersion = database.engineVersion.split(".")[0] ?? database.engineVersion;
    const engine = rds.DatabaseClusterEngine.auroraPostgres({
      version: rds.AuroraPostgresEngineVersion.of(database.engineVersion, majorVersion),
    });
    // Created here (not by the cluster) so its removal policy can be set: the admin password
    // must outlive the stack for the final snapshot to stay usable.
    const adminSecret = new rds.DatabaseSecret(this, "AdminSecret", { username: database.adminUser });
    adminSecret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const cluster = new rds.DatabaseCluster(this, "Database", {
      engine,
      credentials: rds.Credentials.fromSecret(adminSecret),
      defaultDatabaseName: database.databaseName,
      writer: rds.ClusterInstance.serverlessV2("Writer", { autoMinorVersionUpgrade: true }),
      readers: Array.from({ length: database.readers }, (_, index) =>
        // scaleWithWriter keeps the reader warm enough to take over after a failover.
        rds.ClusterInstance.serverlessV2(`Reader${index + 1}`, {
          scaleWithWriter: true,
          autoMinorVersionUpgrade: true,
        }),
      ),
      serverlessV2MinCapacity: database.minCapacityAcu,
      serverlessV2MaxCapacity: database.maxCapacityAcu,
      vpc: props.vpc,
      vpcSubnets: props.appSubnets,
      securityGroups: [securityGroup],
      port: POSTGRES_PORT,
      storageEncrypted: true,
      iamAuthentication: true,
      // The subnets have no way in from outside; the Data API (RDS query editor) is how an admin
      // runs the one-time bootstrap SQL without a bastion host.
      enableDataApi: true,
      deletionProtection: true,
      backup: { retention: Duration.days(database.backupRetentionDays) },
      parameters: { "rds.force_ssl": "1" },
      cloudwatchLogsExports: ["postgresql"],
      cloudwatchLogsRetention: database.logRetentionDays as logs.RetentionDays,
      // A final snapshot survives an accidental stack deletion.
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    // cluster.secret is the admin secret attached to the cluster (host, port and engine added),
    // which is what the rotation function needs to reach the database.
    if (cluster.secret) {
      this.addRotation(cluster.secret, "AdminSecretRotation", props, database.secretRotationDays);
    }
    // cloudwatchLogsRetention is applied by CDK's singleton LogRetention function.
    const logRetentionFunction = this.node.tryFindChild("LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a");
    if (logRetentionFunction) {
      acknowledgeNagFindings(
        logRetentionFunction,
        "CDK's own LogRetention helper (sets the retention of the RDS log group RDS creates): basic execution role plus logs:PutRetentionPolicy/DeleteRetentionPolicy, which name no log group ARN up front.",
        [
          "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
          "AwsSolutions-IAM5[Resource::*]",
        ],
      );
    }
    acknowledgeNagFindings(
      cluster,
      "PostgreSQL's default port 5432 is the documented contract (function → proxy:5432); the cluster is reachable only from the proxy and rotation security groups, so a non-default port would add no protection.",
      ["AwsSolutions-RDS11"],
    );
    return cluster;
  }

  private importCluster(
    database: Extract<DatabaseConfig, { mode: "import" }>,
    securityGroup: ec2.ISecurityGroup,
  ): rds.IDatabaseCluster {
    const majorVersion = database.engineVersion.split(".")[0] ?? database.engineVersion;
    return rds.DatabaseCluster.fromDatabaseClusterAttributes(this, "ExistingDatabase", {
      clusterIdentifier: database.clusterIdentifier,
      // The proxy needs the engine family; an attribute-imported cluster cannot report it.
      engine: rds.DatabaseClusterEngine.auroraPostgres({
        version: rds.AuroraPostgresEngineVersion.of(database.engineVersion, majorVersion),
      }),
      port: POSTGRES_PORT,
      securityGroups: [securityGroup],
    });
  }

  private addRotation(secret: secretsmanager.ISecret, id: string, props: DataStackProps, days: number): void {
    secret.addRotationSchedule(id, {
      automaticallyAfter: Duration.days(days),
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({
        vpc: props.vpc,
        vpcSubnets: props.appSubnets,
        securityGroups: [props.rotationSecurityGroup],
      }),
    });
  }

  private createCache(props: DataStackProps): elasticache.CfnServerlessCache {
    const { cache } = props;
    const cacheResource = new elasticache.CfnServerlessCache(this, "ConfigCache", {
      // CloudFormation requires a name (lowercase, at most 40 characters); deriving it from the
      // stack name keeps stages apart.
      serverlessCacheName: `${this.stackName}-cache`.toLowerCase().slice(0, 40),
      description: "Phoenix: cache of slow-changing user configuration for process-user-request",
      engine: cache.engine,
      majorEngineVersion: cache.majorEngineVersion,
      subnetIds: props.vpc.selectSubnets(props.appSubnets).subnetIds,
      securityGroupIds: [props.cacheSecurityGroup.securityGroupId],
      // Upper bounds, not reservations: serverless bills what is used, these cap a runaway bill.
      cacheUsageLimits: {
        dataStorage: { maximum: cache.maxDataStorageGb, unit: "GB" },
        ecpuPerSecond: { maximum: cache.maxEcpuPerSecond },
      },
      snapshotRetentionLimit: cache.snapshotRetentionDays,
    });
    // Everything in the cache can be rebuilt from the database, so deleting it loses nothing.
    cacheResource.applyRemovalPolicy(RemovalPolicy.DESTROY);
    return cacheResource;
  }

  private createExportBucket(exportsConfig: StageConfig["exports"]): s3.Bucket {
    const accessLogBucket = new s3.Bucket(this, "ExportAccessLogBucket", {
      // Server access log delivery supports SSE-S3 only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(exportsConfig.accessLogExpireAfterDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNagFindings(
      accessLogBucket,
      "This bucket receives the export bucket's access logs; logging it to itself would loop.",
      ["AwsSolutions-S1"],
    );

    return new s3.Bucket(this, "ExportBucket", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: accessLogBucket,
      serverAccessLogsPrefix: "export-bucket/",
      lifecycleRules: [
        {
          // The bucket holds nothing but generated CSV exports, so the rule covers every key.
          id: "expire-exports",
          expiration: Duration.days(exportsConfig.expireAfterDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
