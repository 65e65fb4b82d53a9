import { RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type { Construct } from "constructs";
import type { StageConfig } from "../config/stage-config.js";
import { LatencyAlarms } from "../constructs/latency-alarms.js";

export interface MonitoringStackProps extends StackProps {
  readonly function: lambda.IFunction;
  readonly alias: lambda.IAlias;
  readonly logGroup: logs.ILogGroup;
  readonly alarms: StageConfig["alarms"];
  readonly metricNamespace: string;
}

/** Alarms for the function and the SNS topic they notify. */
export class MonitoringStack extends Stack {
  readonly topic: sns.Topic;
  readonly alarms: LatencyAlarms;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);

    // A customer-managed key: CloudWatch cannot publish to a topic encrypted with the AWS-managed
    // SNS key, because that key's policy cannot be extended to the CloudWatch service.
    const topicKey = new kms.Key(this, "AlarmTopicKey", {
      description: "Encrypts Phoenix alarm notifications",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    topicKey.grant(new iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");

    this.topic = new sns.Topic(this, "AlarmTopic", {
      displayName: "Phoenix latency alarms",
      masterKey: topicKey,
      enforceSSL: true,
    });
    for (const email of props.alarms.notificationEmails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    this.alarms = new LatencyAlarms(this, "LatencyAlarms", {
      function: props.function,
      alias: props.alias,
      logGroup: props.logGroup,
      thresholds: props.alarms,
      topic: this.topic,
      metricNamespace: props.metricNamespace,
    });
  }
}
