import { App } from "aws-cdk-lib";
import { Template, type Template as TemplateType } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { PhoenixAccessStack } from "../lib/stacks/phoenix-access-stack.js";
import { loadTemplate, onlyResource } from "./helpers/synthesis.js";

interface StatementJson {
  readonly Sid: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, string>>;
}

const MANAGED_TAG = { StringEquals: { "aws:ResourceTag/phoenix:managed": "true" } };

function statementsOf(template: TemplateType): Map<string, StatementJson> {
  const { resource } = onlyResource(template, "AWS::IAM::ManagedPolicy");
  const document = resource.Properties?.PolicyDocument as { Statement: StatementJson[] };
  return new Map(document.Statement.map((statement) => [statement.Sid, statement]));
}

function actionsOf(statement: StatementJson | undefined): string[] {
  if (!statement) throw new Error("statement missing");
  return [statement.Action].flat().sort();
}

describe("Phoenix access stack (production)", () => {
  let statements: Map<string, StatementJson>;
  let template: TemplateType;
  beforeAll(() => {
    template = loadTemplate(inject("assemblyDir"), "production", "PhoenixAccess");
    statements = statementsOf(template);
  });

  it("grants exactly the actions the dashboard calls, and nothing else", () => {
    // Act
    const everyAction = [...statements.values()].flatMap((statement) => actionsOf(statement)).sort();

    // Assess
    expect(everyAction).toEqual(
      [
        "cloudwatch:GetMetricData",
        "cloudwatch:ListMetrics",
        "logs:StartQuery",
        "logs:GetQueryResults",
        "logs:StopQuery",
        "lambda:ListFunctions",
        "lambda:GetFunction",
        "lambda:GetFunctionConfiguration",
        "lambda:UpdateFunctionConfiguration",
        "lambda:PublishVersion",
        "lambda:ListVersionsByFunction",
        "lambda:CreateAlias",
        "lambda:GetAlias",
        "lambda:UpdateAlias",
        "lambda:ListAliases",
        "lambda:DeleteAlias",
        "lambda:DeleteFunction",
        "lambda:PutProvisionedConcurrencyConfig",
        "lambda:GetProvisionedConcurrencyConfig",
        "lambda:ListProvisionedConcurrencyConfigs",
        "lambda:DeleteProvisionedConcurrencyConfig",
        "lambda:GetAccountSettings",
        "lambda:InvokeFunction",
        // GetFunction on a tagged function also needs ListTags.
        "lambda:ListTags",
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:PutScheduledAction",
        "application-autoscaling:DescribeScheduledActions",
        "application-autoscaling:DeleteScheduledAction",
        "application-autoscaling:DescribeScalingActivities",
        "iam:CreateServiceLinkedRole",
      ].sort(),
    );
    expect(everyAction.some((action) => action.includes("*"))).toBe(false);
  });

  it("uses '*' only on read actions that have no resource type", () => {
    const wildcardActions = [...statements.values()]
      .filter((statement) => statement.Resource === "*")
      .flatMap((statement) => actionsOf(statement))
      .sort();
    expect(wildcardActions).toEqual(
      [
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingActivities",
        "application-autoscaling:DescribeScheduledActions",
        "cloudwatch:GetMetricData",
        "cloudwatch:ListMetrics",
        "lambda:GetAccountSettings",
        "lambda:ListFunctions",
        "logs:GetQueryResults",
        "logs:StopQuery",
      ].sort(),
    );
  });

  it("limits every Lambda change to functions tagged phoenix:managed=true in this account and region", () => {
    // Act
    const change = statements.get("ChangeManagedFunctions");
    const read = statements.get("ReadManagedFunctions");
    const deleteVersions = statements.get("DeleteManagedFunctionVersions");

    // Assess
    const functionsHere = { "Fn::Join": ["", ["arn:aws:lambda:us-east-1:", { Ref: "AWS::AccountId" }, ":function:*"]] };
    for (const statement of [change, read]) {
      expect(statement?.Resource).toEqual(functionsHere);
      expect(statement?.Condition).toEqual(MANAGED_TAG);
    }
    expect(actionsOf(change)).toContain("lambda:PutProvisionedConcurrencyConfig");
    // Only qualified ARNs: versions can be deleted, the function itself cannot.
    expect(deleteVersions?.Resource).toEqual({
      "Fn::Join": ["", ["arn:aws:lambda:us-east-1:", { Ref: "AWS::AccountId" }, ":function:*:*"]],
    });
    expect(deleteVersions?.Condition).toEqual(MANAGED_TAG);
  });

  it("limits schedule changes to Lambda provisioned concurrency targets", () => {
    const scaling = statements.get("ManageProvisionedConcurrencySchedules");
    expect(scaling?.Resource).toEqual({
      "Fn::Join": ["", ["arn:aws:application-autoscaling:us-east-1:", { Ref: "AWS::AccountId" }, ":scalable-target/*"]],
    });
    expect(scaling?.Condition).toEqual({
      StringEquals: {
        "application-autoscaling:service-namespace": "lambda",
        "application-autoscaling:scalable-dimension": "lambda:function:ProvisionedConcurrency",
      },
    });
  });

  it("lets Logs Insights query the function's log group only, and create only AAS's Lambda role", () => {
    expect(JSON.stringify(statements.get("QueryFunctionLogs")?.Resource)).toMatch(
      /"StackName":"Phoenix-production-Function".*ProcessUserRequestLogGroup.*Arn/,
    );
    const serviceLinkedRole = statements.get("CreateLambdaConcurrencyScalingRole");
    expect(serviceLinkedRole?.Condition).toEqual({
      StringEquals: { "iam:AWSServiceName": "lambda.application-autoscaling.amazonaws.com" },
    });
    expect(JSON.stringify(serviceLinkedRole?.Resource)).toContain(
      ":role/aws-service-role/lambda.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency",
    );
  });

  it("is assumable from this account when no dashboard principal is configured", () => {
    template.hasResourceProperties("AWS::IAM::Role", {
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: "sts:AssumeRole",
            Effect: "Allow",
            Principal: { AWS: { "Fn::Join": ["", ["arn:aws:iam::", { Ref: "AWS::AccountId" }, ":root"]] } },
          },
        ],
        Version: "2012-10-17",
      },
    });
  });

  it("trusts exactly the configured dashboard principal when one is given", () => {
    // Prepare
    const app = new App();
    const dashboardRole = "arn:aws:iam::123456789012:role/phoenix-dashboard-runtime";

    // Act
    const stack = new PhoenixAccessStack(app, "AccessUnderTest", {
      env: { region: "eu-west-1" },
      access: {
        trustedPrincipalArns: [dashboardRole],
        managedTagKey: "phoenix:managed",
        managedTagValue: "true",
        extraQueryableLogGroupArns: ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/legacy-report:*"],
      },
      functionLogGroupArns: ["arn:aws:logs:eu-west-1:123456789012:log-group:process-user-request:*"],
    });
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { AWS: dashboardRole } }],
      },
    });
    expect(statementsOf(template).get("QueryFunctionLogs")?.Resource).toEqual([
      "arn:aws:logs:eu-west-1:123456789012:log-group:process-user-request:*",
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/legacy-report:*",
    ]);
  });
});
