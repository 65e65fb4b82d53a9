import { Duration, RemovalPolicy, Tags } from "aws-cdk-lib";
import type * as ec2 from "aws-cdk-lib/aws-ec2";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** Runtimes the app accepts (see shared/AWS_BEHAVIOUR.md §3.11 for support dates). */
const RUNTIMES = {
  "nodejs22.x": lambda.Runtime.NODEJS_22_X,
  "nodejs24.x": lambda.Runtime.NODEJS_24_X,
} as const;

const ARCHITECTURES = {
  arm64: lambda.Architecture.ARM_64,
  x86_64: lambda.Architecture.X86_64,
} as const;

export interface OptimizedFunctionProps {
  /**
   * Directory holding the esbuild bundle (`index.mjs`/`index.js` exporting `handler`). Built by
   * `npm --prefix lambda run build` before synthesis; no Docker bundling happens here.
   */
  readonly codeAssetPath: string;
  readonly description: string;
  readonly runtime: keyof typeof RUNTIMES;
  readonly architecture: keyof typeof ARCHITECTURES;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  /** Handler configuration; merged with the defaults below, never silently dropped. */
  readonly environment: Readonly<Record<string, string>>;
  /** Alias that carries provisioned concurrency (PC never lives on $LATEST). */
  readonly aliasName: string;
  /** Tag that marks the function as one Phoenix may change (ABAC in Phoenix's role). */
  readonly managedTag: { readonly key: string; readonly value: string };
}

/**
 * The house defaults for a latency-sensitive Lambda function: a prebuilt bundle, explicit log
 * group with retention and JSON logs, active tracing, source maps, and an alias on the current
 * version so provisioned concurrency has something stable to attach to.
 */
export class OptimizedFunction extends Construct {
  readonly function: lambda.Function;
  readonly alias: lambda.Alias;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OptimizedFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, "LogGroup", {
      retention: props.logRetentionDays as logs.RetentionDays,
      // The function stack is stateless; its logs age out by retention anyway.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.function = new lambda.Function(this, "Handler", {
      description: props.description,
      code: lambda.Code.fromAsset(props.codeAssetPath),
      handler: "index.handler",
      runtime: RUNTIMES[props.runtime],
      architecture: ARCHITECTURES[props.architecture],
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      // JSON platform records ("platform.report" with record.status) are what the timeout
      // metric filter matches; INFO keeps them flowing.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: [props.securityGroup],
      environment: {
        // The bundle ships source maps; stack traces should point at TypeScript lines.
        NODE_OPTIONS: "--enable-source-maps",
        ...props.environment,
      },
      // Old versions stay published so the alias can be pointed back at one (rollback).
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
    });
    // Only the function carries the tag: Phoenix's role keys its permissions on it.
    Tags.of(this.function).add(props.managedTag.key, props.managedTag.value, {
      includeResourceTypes: ["AWS::Lambda::Function"],
    });

    this.alias = new lambda.Alias(this, "Alias", {
      aliasName: props.aliasName,
      version: this.function.currentVersion,
      description: "Serves traffic and carries the provisioned concurrency schedule",
    });
  }
}
