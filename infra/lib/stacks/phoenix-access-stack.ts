import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import { acknowledgeNagFindings, nagArnParts } from "../cdk-nag.js";
import type { StageConfig } from "../config/stage-config.js";
import { PhoenixAccessPolicy } from "../constructs/phoenix-access-policy.js";

export interface PhoenixAccessStackProps extends StackProps {
  readonly access: StageConfig["phoenixAccess"];
  /** Log groups of the functions this app deploys (Phoenix queries them with Logs Insights). */
  readonly functionLogGroupArns: readonly string[];
}

/**
 * The role the Phoenix dashboard assumes in this account. Who may assume it is configuration
 * (the dashboard's runtime role); without it, principals of this account that are themselves
 * allowed sts:AssumeRole on it may.
 */
export class PhoenixAccessStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PhoenixAccessStackProps) {
    super(scope, id, props);
    const { access } = props;

    const trustedPrincipals = access.trustedPrincipalArns.map((arn) => new iam.ArnPrincipal(arn));
    const [onlyPrincipal, ...morePrincipals] = trustedPrincipals;
    const assumedBy: iam.IPrincipal =
      onlyPrincipal === undefined
        ? new iam.AccountRootPrincipal()
        : morePrincipals.length === 0
          ? onlyPrincipal
          : new iam.CompositePrincipal(onlyPrincipal, ...morePrincipals);

    const accessPolicy = new PhoenixAccessPolicy(this, "DashboardAccess", {
      managedTag: { key: access.managedTagKey, value: access.managedTagValue },
      queryableLogGroupArns: [...props.functionLogGroupArns, ...access.extraQueryableLogGroupArns],
    });

    this.role = new iam.Role(this, "DashboardRole", {
      description: "Assumed by the Phoenix dashboard to read Lambda latency and change PC, memory and runtime",
      assumedBy,
      maxSessionDuration: Duration.hours(1),
      managedPolicies: [accessPolicy.policy],
    });

    const { partition, region, account } = nagArnParts(this);
    acknowledgeNagFindings(
      accessPolicy.policy,
      "'*' only on read actions that AWS gives no resource type (cloudwatch:GetMetricData/ListMetrics, lambda:ListFunctions/GetAccountSettings, logs:GetQueryResults/StopQuery, application-autoscaling:Describe*).",
      ["AwsSolutions-IAM5[Resource::*]"],
    );
    acknowledgeNagFindings(
      accessPolicy.policy,
      "Functions of this account and region, and only those carrying the phoenix:managed tag (aws:ResourceTag condition); function:*:* is qualified ARNs only, so DeleteFunction can remove versions but not a function.",
      [
        `AwsSolutions-IAM5[Resource::arn:${partition}:lambda:${region}:${account}:function:*]`,
        `AwsSolutions-IAM5[Resource::arn:${partition}:lambda:${region}:${account}:function:*:*]`,
      ],
    );
    acknowledgeNagFindings(
      accessPolicy.policy,
      "Scalable-target ARNs end in an opaque id, not the function name; the statement is limited by condition to service namespace 'lambda' and dimension 'lambda:function:ProvisionedConcurrency'.",
      [`AwsSolutions-IAM5[Resource::arn:${partition}:application-autoscaling:${region}:${account}:scalable-target/*]`],
    );

    new CfnOutput(this, "DashboardRoleArn", {
      value: this.role.roleArn,
      description: "Set as Phoenix's AWS role (see infra/README.md, 'Phoenix role wiring')",
    });
  }
}
