import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { loadStagesFile } from "../lib/config/stage-config.js";
import { loadTemplate } from "./helpers/synthesis.js";

const thresholds = loadStagesFile().stages.production.alarms;

/** The alarm's metric is on the alias: dimensions FunctionName plus Resource = "<name>:live". */
const ON_LIVE_ALIAS = Match.arrayWith([
  Match.objectLike({ Name: "FunctionName" }),
  Match.objectLike({ Name: "Resource", Value: Match.objectLike({ "Fn::Join": ["", Match.arrayWith([":live"])] }) }),
]);

describe("monitoring stack (production)", () => {
  let template: Template;
  beforeAll(() => {
    template = loadTemplate(inject("assemblyDir"), "production", "Monitoring");
  });

  it("alarms on p90 Duration of the live alias above 1 s for 3 of 5 minutes", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/Lambda",
      MetricName: "Duration",
      ExtendedStatistic: "p90",
      Period: 60,
      Threshold: 1000,
      ComparisonOperator: "GreaterThanThreshold",
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: "notBreaching",
      Dimensions: ON_LIVE_ALIAS,
    });
  });

  it("counts timeouts from the JSON platform report and alarms on the first one", () => {
    template.hasResourceProperties("AWS::Logs::MetricFilter", {
      FilterPattern: '{ ($.type = "platform.report") && ($.record.status = "timeout") }',
      MetricTransformations: [
        { MetricName: "ProcessUserRequestTimeouts", MetricNamespace: "Phoenix/production", MetricValue: "1" },
      ],
      LogGroupName: Match.objectLike({
        "Fn::GetStackOutput": Match.objectLike({ StackName: "Phoenix-production-Function" }),
      }),
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "Phoenix/production",
      MetricName: "ProcessUserRequestTimeouts",
      Statistic: "Sum",
      Threshold: thresholds.timeoutsThreshold,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  });

  it("alarms on throttles and on provisioned-concurrency spill-over", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Throttles",
      Statistic: "Sum",
      Threshold: thresholds.throttlesThreshold,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ProvisionedConcurrencySpilloverInvocations",
      Statistic: "Sum",
      Threshold: thresholds.spilloverInvocationsThreshold,
      Dimensions: ON_LIVE_ALIAS,
    });
  });

  it("alarms when PC utilization stays below 60 % for two hours", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ProvisionedConcurrencyUtilization",
      Statistic: "Average",
      Threshold: 0.6,
      ComparisonOperator: "LessThanThreshold",
      Period: 300,
      EvaluationPeriods: 24,
      DatapointsToAlarm: 24,
      TreatMissingData: "notBreaching",
      Dimensions: ON_LIVE_ALIAS,
    });
  });

  it("notifies an encrypted, TLS-only SNS topic on alarm and on recovery", () => {
    // Act
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")) as {
      Properties: { AlarmActions: unknown; OKActions: unknown };
    }[];
    const [topicId] = Object.keys(template.findResources("AWS::SNS::Topic"));

    // Assess
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties("AWS::KMS::Key", {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          }),
        ]),
      },
    });
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });
});
