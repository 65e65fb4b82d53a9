import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { loadPcSchedule, STAGE_NAMES } from "../lib/config/pc-schedule.js";
import { loadStagesFile } from "../lib/config/stage-config.js";
import { loadTemplate, onlyResource } from "./helpers/synthesis.js";

const pcSchedule = loadPcSchedule();
const { stages } = loadStagesFile();

describe.each(STAGE_NAMES)("%s function stack", (stage) => {
  let template: Template;
  beforeAll(() => {
    template = loadTemplate(inject("assemblyDir"), stage, "Function");
  });

  it("runs the prebuilt bundle on the configured Node.js runtime, arm64, memory and timeout", () => {
    // Assess
    const config = stages[stage].function;
    template.hasResourceProperties("AWS::Lambda::Function", {
      Handler: "index.handler",
      Runtime: config.runtime,
      Architectures: ["arm64"],
      MemorySize: config.memoryMb,
      Timeout: config.timeoutSeconds,
      TracingConfig: { Mode: "Active" },
      LoggingConfig: Match.objectLike({ LogFormat: "JSON", SystemLogLevel: "INFO", LogGroup: Match.anyValue() }),
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() }),
    });
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: config.logRetentionDays });
  });

  it("hands the handler its contract: proxy endpoint with IAM auth, TLS cache URL, bucket, cache TTL", () => {
    // Act
    const { resource } = onlyResource(template, "AWS::Lambda::Function");
    const environment = resource.Properties?.Environment as { Variables: Record<string, unknown> } | undefined;
    const variables = environment?.Variables ?? {};

    // Assess
    expect(variables).toMatchObject({
      DB_PORT: "5432",
      DB_NAME: "phoenix",
      DB_USER: "process_user_request",
      DB_AUTH: "iam",
      EXPORT_KEY_PREFIX: "exports/",
      CONFIG_CACHE_TTL_SECONDS: String(stages[stage].function.configCacheTtlSeconds),
    });
    expect(JSON.stringify(variables.DB_HOST)).toMatch(/Proxy[A-Z0-9]+Endpoint/);
    expect(JSON.stringify(variables.EXPORT_BUCKET)).toMatch(/RefExportBucket/);
    const redisUrl = variables.REDIS_URL as { "Fn::Join": [string, unknown[]] };
    expect(redisUrl["Fn::Join"][1][0]).toBe("rediss://");
    expect(variables).not.toHaveProperty("DB_SECRET_ID");
    expect(variables).not.toHaveProperty("DB_PASSWORD");
  });

  it("tags only the function as managed by Phoenix", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Tags: Match.arrayWith([{ Key: "phoenix:managed", Value: "true" }]),
    });
    const { resource: role } = onlyResource(template, "AWS::IAM::Role");
    expect(role.Properties?.Tags).not.toContainEqual({ Key: "phoenix:managed", Value: "true" });
  });

  it("points the live alias at the current published version, never $LATEST", () => {
    // Act
    const { resource: alias } = onlyResource(template, "AWS::Lambda::Alias");

    // Assess
    expect(alias.Properties?.Name).toBe("live");
    const version = alias.Properties?.FunctionVersion as { "Fn::GetAtt": [string, string] };
    expect(version["Fn::GetAtt"][1]).toBe("Version");
    expect(template.toJSON().Resources[version["Fn::GetAtt"][0]].Type).toBe("AWS::Lambda::Version");
    // Old versions stay for rollback.
    expect(template.toJSON().Resources[version["Fn::GetAtt"][0]].DeletionPolicy).toBe("Retain");
  });

  it("registers the alias with Application Auto Scaling as function:<name>:live", () => {
    // Act
    const { logicalId: aliasId } = onlyResource(template, "AWS::Lambda::Alias");
    const { resource: target } = onlyResource(template, "AWS::ApplicationAutoScaling::ScalableTarget");
    const properties = target.Properties ?? {};

    // Assess
    expect(properties.ServiceNamespace).toBe("lambda");
    expect(properties.ScalableDimension).toBe("lambda:function:ProvisionedConcurrency");
    expect(properties.ResourceId).toEqual({
      "Fn::Join": ["", ["function:", { "Fn::Select": [6, { "Fn::Split": [":", { Ref: aliasId }] }] }, ":live"]],
    });
    expect(properties.MinCapacity).toBe(pcSchedule.stages[stage].registration.minCapacity);
    expect(properties.MaxCapacity).toBe(pcSchedule.stages[stage].registration.maxCapacity);
    expect(JSON.stringify(properties.RoleARN)).toContain(
      "aws-service-role/lambda.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency",
    );
  });

  it("deploys exactly the scheduled actions of config/pc-schedule.json, in its IANA time zone", () => {
    // Act
    const { resource: target } = onlyResource(template, "AWS::ApplicationAutoScaling::ScalableTarget");

    // Assess
    const expected = pcSchedule.stages[stage].scheduledActions.map((action) => ({
      ScheduledActionName: action.name,
      Schedule: action.schedule,
      Timezone: pcSchedule.timeZone,
      ScalableTargetAction: { MinCapacity: action.minCapacity, MaxCapacity: action.maxCapacity },
    }));
    expect(target.Properties?.ScheduledActions).toEqual(expected);
  });

  it("lets the function connect to the proxy as its database user only, and write exports", () => {
    // Assess: rds-db:connect on dbuser:<proxy resource id>/process_user_request.
    const { resource: policy } = onlyResource(template, "AWS::IAM::Policy");
    const document = policy.Properties?.PolicyDocument as
      | { Statement: { Action: unknown; Resource: unknown }[] }
      | undefined;
    const statements = document?.Statement ?? [];
    const connect = statements.find((statement) => statement.Action === "rds-db:connect");
    expect(JSON.stringify(connect?.Resource)).toMatch(/:dbuser:.*DBProxyArn.*\/process_user_request"/);
    const { resource: role } = onlyResource(template, "AWS::IAM::Role");
    expect(JSON.stringify(role.Properties?.ManagedPolicyArns)).toContain("RefExportWriterPolicy");
  });

  it("fronts the alias with an authorized, throttled, access-logged HTTP API", () => {
    // Act
    const { logicalId: aliasId } = onlyResource(template, "AWS::Lambda::Alias");

    // Assess
    template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
      IntegrationType: "AWS_PROXY",
      IntegrationUri: { Ref: aliasId },
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "$default", AuthorizationType: "AWS_IAM" });
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      DefaultRouteSettings: {
        ThrottlingRateLimit: stages[stage].api.throttlingRateLimit,
        ThrottlingBurstLimit: stages[stage].api.throttlingBurstLimit,
      },
      AccessLogSettings: Match.objectLike({ Format: Match.stringLikeRegexp("integrationLatency") }),
    });
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      FunctionName: { Ref: aliasId },
      Principal: "apigateway.amazonaws.com",
    });
  });
});
