import { ArnFormat, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";

/** Service principal of the role AAS uses to change a Lambda alias's provisioned concurrency. */
export const LAMBDA_CONCURRENCY_SCALING_SERVICE = "lambda.application-autoscaling.amazonaws.com";
const LAMBDA_CONCURRENCY_SCALING_ROLE = "AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency";

/** Lambda actions the dashboard only reads with. */
export const LAMBDA_READ_ACTIONS = [
  "lambda:GetFunction",
  "lambda:GetFunctionConfiguration",
  "lambda:ListVersionsByFunction",
  "lambda:GetAlias",
  "lambda:ListAliases",
  "lambda:GetProvisionedConcurrencyConfig",
  "lambda:ListProvisionedConcurrencyConfigs",
  // GetFunction on a tagged function also needs ListTags (Lambda's tagging docs), and every
  // function Phoenix manages is tagged.
  "lambda:ListTags",
] as const;

/** Lambda actions that change a function, its versions, aliases or PC (power tuning invokes). */
export const LAMBDA_CHANGE_ACTIONS = [
  "lambda:UpdateFunctionConfiguration",
  "lambda:PublishVersion",
  "lambda:CreateAlias",
  "lambda:UpdateAlias",
  "lambda:DeleteAlias",
  "lambda:PutProvisionedConcurrencyConfig",
  "lambda:DeleteProvisionedConcurrencyConfig",
  "lambda:InvokeFunction",
] as const;

export const SCALING_CHANGE_ACTIONS = [
  "application-autoscaling:RegisterScalableTarget",
  "application-autoscaling:DeregisterScalableTarget",
  "application-autoscaling:PutScheduledAction",
  "application-autoscaling:DeleteScheduledAction",
] as const;

export const SCALING_READ_ACTIONS = [
  "application-autoscaling:DescribeScalableTargets",
  "application-autoscaling:DescribeScheduledActions",
  "application-autoscaling:DescribeScalingActivities",
] as const;

export interface PhoenixAccessPolicyProps {
  /** Functions carrying this tag are the only ones Phoenix may change. */
  readonly managedTag: { readonly key: string; readonly value: string };
  /** ARNs (`arn:…:log-group:NAME:*`) of the log groups Phoenix may run Logs Insights queries on. */
  readonly queryableLogGroupArns: readonly string[];
}

/**
 * Exactly the AWS actions the Phoenix dashboard calls, each on the narrowest resource AWS lets
 * a policy name. Mutations never use `*`: Lambda changes need the managed tag, scaling changes
 * are limited to Lambda provisioned concurrency in this account and region.
 */
export class PhoenixAccessPolicy extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: PhoenixAccessPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const managedTagCondition = {
      StringEquals: { [`aws:ResourceTag/${props.managedTag.key}`]: props.managedTag.value },
    };
    const functionArn = (pattern: string): string =>
      stack.formatArn({
        service: "lambda",
        resource: "function",
        resourceName: pattern,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });

    const statements = [
      new iam.PolicyStatement({
        sid: "ReadLambdaMetrics",
        actions: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"],
        // Read-only, and CloudWatch defines no resource type for either action: "*" is required.
        resources: ["*"],
      }),
      new iam.PolicyStatement({
        sid: "ListFunctionsAndAccountLimits",
        actions: ["lambda:ListFunctions", "lambda:GetAccountSettings"],
        // Read-only account-level calls; Lambda supports no resource ARN for them.
        resources: ["*"],
      }),
      new iam.PolicyStatement({
        sid: "ReadManagedFunctions",
        actions: [...LAMBDA_READ_ACTIONS],
        // function:* covers the function and its qualified (version/alias) ARNs; the tag narrows it.
        resources: [functionArn("*")],
        conditions: managedTagCondition,
      }),
      new iam.PolicyStatement({
        sid: "ChangeManagedFunctions",
        actions: [...LAMBDA_CHANGE_ACTIONS],
        resources: [functionArn("*")],
        conditions: managedTagCondition,
      }),
      new iam.PolicyStatement({
        sid: "DeleteManagedFunctionVersions",
        actions: ["lambda:DeleteFunction"],
        // Only qualified ARNs (NAME:VERSION) match "*:*", so the function itself cannot be deleted,
        // only old versions that power tuning or publishing left behind.
        resources: [functionArn("*:*")],
        conditions: managedTagCondition,
      }),
      new iam.PolicyStatement({
        sid: "QueryFunctionLogs",
        actions: ["logs:StartQuery"],
        resources: [...props.queryableLogGroupArns],
      }),
      new iam.PolicyStatement({
        sid: "ReadAndStopOwnQueries",
        actions: ["logs:GetQueryResults", "logs:StopQuery"],
        // These act on a query id returned by StartQuery; CloudWatch Logs defines no resource type
        // for them, so "*" is required. What can be queried is bounded by StartQuery above.
        resources: ["*"],
      }),
      new iam.PolicyStatement({
        sid: "DescribeProvisionedConcurrencyScaling",
        actions: [...SCALING_READ_ACTIONS],
        // Read-only; Application Auto Scaling defines no resource type for Describe* actions.
        resources: ["*"],
      }),
      new iam.PolicyStatement({
        sid: "ManageProvisionedConcurrencySchedules",
        actions: [...SCALING_CHANGE_ACTIONS],
        // Scalable-target ARNs carry an opaque id, not the function name, so the scope is every
        // target of this account and region, narrowed to Lambda provisioned concurrency.
        resources: [
          stack.formatArn({
            service: "application-autoscaling",
            resource: "scalable-target",
            resourceName: "*",
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
        conditions: {
          StringEquals: {
            "application-autoscaling:service-namespace": "lambda",
            "application-autoscaling:scalable-dimension": "lambda:function:ProvisionedConcurrency",
          },
        },
      }),
      new iam.PolicyStatement({
        sid: "CreateLambdaConcurrencyScalingRole",
        actions: ["iam:CreateServiceLinkedRole"],
        // RegisterScalableTarget for Lambda creates this service-linked role on first use.
        resources: [
          stack.formatArn({
            service: "iam",
            region: "",
            resource: "role",
            resourceName: `aws-service-role/${LAMBDA_CONCURRENCY_SCALING_SERVICE}/${LAMBDA_CONCURRENCY_SCALING_ROLE}`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
        conditions: { StringEquals: { "iam:AWSServiceName": LAMBDA_CONCURRENCY_SCALING_SERVICE } },
      }),
    ];

    this.policy = new iam.ManagedPolicy(this, "Policy", {
      description:
        "Phoenix dashboard: exactly the CloudWatch, Logs, Lambda and Application Auto Scaling calls it makes",
      statements,
    });
  }
}
