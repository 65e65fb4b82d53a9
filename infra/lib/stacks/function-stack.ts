import { CfnOutput, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import * as authorizers from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import * as integrations from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as ec2 from "aws-cdk-lib/aws-ec2";
import type * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as rds from "aws-cdk-lib/aws-rds";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { acknowledgeNagFindings } from "../cdk-nag.js";
import type { PcSchedule, StageSchedule } from "../config/pc-schedule.js";
import type { StageConfig } from "../config/stage-config.js";
import { OptimizedFunction } from "../constructs/optimized-function.js";
import { ProvisionedConcurrencySchedule } from "../constructs/provisioned-concurrency-schedule.js";
import { EXPORT_KEY_PREFIX } from "./data-stack.js";
import { POSTGRES_PORT } from "./network-stack.js";

export interface FunctionStackProps extends StackProps {
  readonly codeAssetPath: string;
  readonly functionConfig: StageConfig["function"];
  readonly apiConfig: StageConfig["api"];
  readonly managedTag: { readonly key: string; readonly value: string };
  readonly pcSchedule: Pick<PcSchedule, "aliasName" | "timeZone">;
  readonly stageSchedule: StageSchedule;
  readonly vpc: ec2.IVpc;
  readonly appSubnets: ec2.SubnetSelection;
  readonly functionSecurityGroup: ec2.ISecurityGroup;
  readonly proxy: rds.IDatabaseProxy;
  readonly databaseName: string;
  readonly databaseUser: string;
  readonly cacheEndpointAddress: string;
  readonly cacheEndpointPort: string;
  readonly exportBucket: s3.IBucket;
  readonly exportWriterPolicy: iam.IManagedPolicy;
}

/**
 * The stateless half: the optimized `process-user-request` function, its `live` alias with the
 * provisioned-concurrency schedule, and the HTTP API in front of the alias.
 */
export class FunctionStack extends Stack {
  readonly handler: OptimizedFunction;

  constructor(scope: Construct, id: string, props: FunctionStackProps) {
    super(scope, id, props);
    const { functionConfig } = props;

    this.handler = new OptimizedFunction(this, "ProcessUserRequest", {
      codeAssetPath: props.codeAssetPath,
      description: "process-user-request: optimized handler (no pandas, RDS Proxy, config cache)",
      runtime: functionConfig.runtime,
      architecture: functionConfig.architecture,
      memoryMb: functionConfig.memoryMb,
      timeoutSeconds: functionConfig.timeoutSeconds,
      logRetentionDays: functionConfig.logRetentionDays,
      vpc: props.vpc,
      vpcSubnets: props.appSubnets,
      securityGroup: props.functionSecurityGroup,
      aliasName: props.pcSchedule.aliasName,
      managedTag: props.managedTag,
      // The names below are the contract with lambda/ (see infra/README.md, "Handler environment").
      environment: {
        DB_HOST: props.proxy.endpoint,
        DB_PORT: String(POSTGRES_PORT),
        DB_NAME: props.databaseName,
        DB_USER: props.databaseUser,
        // The proxy requires IAM auth, so the handler signs a token instead of reading a password.
        DB_AUTH: "iam",
        // rediss:// = TLS, which ElastiCache serverless always requires.
        REDIS_URL: `rediss://${props.cacheEndpointAddress}:${props.cacheEndpointPort}`,
        EXPORT_BUCKET: props.exportBucket.bucketName,
        EXPORT_KEY_PREFIX,
        CONFIG_CACHE_TTL_SECONDS: String(functionConfig.configCacheTtlSeconds),
      },
    });
    const { function: handlerFunction, alias } = this.handler;

    props.proxy.grantConnect(handlerFunction, props.databaseUser);
    handlerFunction.role?.addManagedPolicy(props.exportWriterPolicy);

    new ProvisionedConcurrencySchedule(this, "ProvisionedConcurrency", {
      alias,
      schedule: props.stageSchedule,
      timeZone: props.pcSchedule.timeZone,
    });

    const api = this.createHttpApi(props, alias);

    new CfnOutput(this, "FunctionName", { value: handlerFunction.functionName });
    new CfnOutput(this, "AliasArn", { value: alias.functionArn });
    new CfnOutput(this, "ApiUrl", { value: api.apiEndpoint });

    this.suppressFunctionRoleFindings();
  }

  private createHttpApi(props: FunctionStackProps, alias: OptimizedFunction["alias"]): apigwv2.HttpApi {
    const { apiConfig } = props;
    const defaultAuthorizer: apigwv2.IHttpRouteAuthorizer = apiConfig.jwtAuthorizer
      ? new authorizers.HttpJwtAuthorizer("JwtAuthorizer", apiConfig.jwtAuthorizer.issuerUrl, {
          jwtAudience: apiConfig.jwtAuthorizer.audience,
        })
      : // Without an identity provider configured, callers sign requests with SigV4.
        new authorizers.HttpIamAuthorizer();

    const api = new apigwv2.HttpApi(this, "Api", {
      description: "process-user-request API",
      // Requests go to the alias, so they land on provisioned concurrency, never on $LATEST.
      defaultIntegration: new integrations.HttpLambdaIntegration("ProcessUserRequestIntegration", alias),
      defaultAuthorizer,
      createDefaultStage: false,
    });

    const accessLogGroup = new logs.LogGroup(this, "ApiAccessLogGroup", {
      retention: apiConfig.accessLogRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new apigwv2.HttpStage(this, "DefaultStage", {
      httpApi: api,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: apiConfig.throttlingRateLimit, burstLimit: apiConfig.throttlingBurstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogGroup),
        // HTTP API context variables only; latency fields let Phoenix compare API and function time.
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            requestTime: "$context.requestTime",
            httpMethod: "$context.httpMethod",
            routeKey: "$context.routeKey",
            path: "$context.path",
            status: "$context.status",
            protocol: "$context.protocol",
            responseLength: "$context.responseLength",
            responseLatency: "$context.responseLatency",
            integrationLatency: "$context.integrationLatency",
            integrationStatus: "$context.integrationStatus",
            integrationError: "$context.integrationErrorMessage",
            sourceIp: "$context.identity.sourceIp",
          }),
        ),
      },
    });
    return api;
  }

  private suppressFunctionRoleFindings(): void {
    const { function: handlerFunction } = this.handler;
    acknowledgeNagFindings(
      handlerFunction,
      "nodejs24.x is CDK's NODEJS_LATEST (the newest Node.js runtime offered in every region) and the runtime table in shared/AWS_BEHAVIOUR.md lists it as supported until 2028-04-30; moving to a newer one is a one-line change in config/stages.json once the handler is tested on it.",
      ["AwsSolutions-L1"],
    );
    const role = handlerFunction.role;
    if (!role) return;
    acknowledgeNagFindings(
      role,
      "AWS-managed Lambda execution policies: CloudWatch Logs writing and the ENI permissions every function in a VPC needs; AWS maintains and scopes them to those services.",
      [
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]",
      ],
    );
    acknowledgeNagFindings(
      role,
      "Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.",
      ["AwsSolutions-IAM5[Resource::*]"],
    );
  }
}
