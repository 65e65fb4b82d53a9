import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { StageConfig } from "../config/stage-config.js";

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

export interface LatencyAlarmsProps {
  readonly function: lambda.IFunction;
  readonly alias: lambda.IAlias;
  readonly logGroup: logs.ILogGroup;
  readonly thresholds: StageConfig["alarms"];
  readonly topic: sns.ITopic;
  /** Namespace of the custom timeout metric; per stage so stages never mix counts. */
  readonly metricNamespace: string;
}

/**
 * The alarms the meeting asked for, on the alias that serves traffic: p90 latency, timeouts,
 * throttles, PC spill-over and PC utilization too low to pay off.
 */
export class LatencyAlarms extends Construct {
  readonly p90Duration: cloudwatch.Alarm;
  readonly timeouts: cloudwatch.Alarm;
  readonly throttles: cloudwatch.Alarm;
  readonly provisionedConcurrencySpillover: cloudwatch.Alarm;
  readonly provisionedConcurrencyUnderused: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: LatencyAlarmsProps) {
    super(scope, id);
    const { alias, thresholds } = props;

    this.p90Duration = new cloudwatch.Alarm(this, "P90Duration", {
      alarmDescription: `p90 Duration of ${alias.functionName} above ${thresholds.p90DurationThresholdMs} ms in ${thresholds.durationDatapointsToAlarm} of ${thresholds.durationEvaluationMinutes} minutes`,
      metric: alias.metric("Duration", { statistic: "p90", period: ONE_MINUTE }),
      threshold: thresholds.p90DurationThresholdMs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: thresholds.durationEvaluationMinutes,
      datapointsToAlarm: thresholds.durationDatapointsToAlarm,
      // No invocations means no latency problem.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // With JSON logging a timeout shows up as a platform.report record whose status is "timeout"
    // (the text format's "Status: timeout"); Errors alone cannot tell timeouts from exceptions.
    const timeoutFilter = new logs.MetricFilter(this, "TimeoutMetricFilter", {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue("$.type", "=", "platform.report"),
        logs.FilterPattern.stringValue("$.record.status", "=", "timeout"),
      ),
      metricNamespace: props.metricNamespace,
      metricName: "ProcessUserRequestTimeouts",
      metricValue: "1",
    });
    this.timeouts = new cloudwatch.Alarm(this, "Timeouts", {
      alarmDescription: `Invocations of ${alias.functionName} that hit the function timeout`,
      metric: timeoutFilter.metric({ statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES }),
      threshold: thresholds.timeoutsThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Function-wide: a throttle on any version means a caller was turned away.
    this.throttles = new cloudwatch.Alarm(this, "Throttles", {
      alarmDescription: `Throttled requests to ${props.function.functionName}`,
      metric: props.function.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES }),
      threshold: thresholds.throttlesThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.provisionedConcurrencySpillover = new cloudwatch.Alarm(this, "ProvisionedConcurrencySpillover", {
      alarmDescription: `Invocations of ${alias.functionName} that found every provisioned environment busy and may have paid a cold start`,
      metric: alias.metric("ProvisionedConcurrencySpilloverInvocations", {
        statistic: cloudwatch.Stats.SUM,
        period: FIVE_MINUTES,
      }),
      threshold: thresholds.spilloverInvocationsThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // PC pays off above roughly 60 % utilization (DESIGN.md §5). Sustained lower use means the
    // schedule provisions more than traffic needs — e.g. the night level could go to 0.
    const underusedPeriods = thresholds.pcUtilizationLowForMinutes / 5;
    this.provisionedConcurrencyUnderused = new cloudwatch.Alarm(this, "ProvisionedConcurrencyUnderused", {
      alarmDescription: `Provisioned concurrency of ${alias.functionName} below ${Math.round(thresholds.pcUtilizationLowThreshold * 100)} % utilization for ${thresholds.pcUtilizationLowForMinutes} minutes`,
      metric: alias.metric("ProvisionedConcurrencyUtilization", {
        statistic: cloudwatch.Stats.AVERAGE,
        period: FIVE_MINUTES,
      }),
      threshold: thresholds.pcUtilizationLowThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: underusedPeriods,
      datapointsToAlarm: underusedPeriods,
      // No data means no PC allocated (e.g. 0 at the weekend): nothing is being wasted.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const notify = new actions.SnsAction(props.topic);
    for (const alarm of [
      this.p90Duration,
      this.timeouts,
      this.throttles,
      this.provisionedConcurrencySpillover,
      this.provisionedConcurrencyUnderused,
    ]) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }
}
