import { TimeZone } from "aws-cdk-lib";
import * as appscaling from "aws-cdk-lib/aws-applicationautoscaling";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import type { StageSchedule } from "../config/pc-schedule.js";

export interface ProvisionedConcurrencyScheduleProps {
  /** The alias that carries PC; AAS registers `function:<name>:<alias>`. */
  readonly alias: lambda.Alias;
  /** This stage's part of infra/config/pc-schedule.json (already validated). */
  readonly schedule: StageSchedule;
  /** IANA time zone every scheduled action is evaluated in (AAS follows daylight saving). */
  readonly timeZone: string;
}

/**
 * Provisioned concurrency on a schedule through Application Auto Scaling, not a fixed
 * `ProvisionedConcurrentExecutions` on the alias: only AAS can take PC to 0 at night, and the
 * dashboard edits the same scheduled actions through the same API.
 */
export class ProvisionedConcurrencySchedule extends Construct {
  readonly scalableTarget: lambda.IScalableFunctionAttribute;

  constructor(scope: Construct, id: string, props: ProvisionedConcurrencyScheduleProps) {
    super(scope, id);
    const { registration, scheduledActions } = props.schedule;

    this.scalableTarget = props.alias.addAutoScaling({
      minCapacity: registration.minCapacity,
      maxCapacity: registration.maxCapacity,
    });

    const timeZone = TimeZone.of(props.timeZone);
    for (const action of scheduledActions) {
      // The construct id becomes ScheduledActionName, so the dashboard sees the config's names.
      this.scalableTarget.scaleOnSchedule(action.name, {
        schedule: appscaling.Schedule.expression(action.schedule),
        timeZone,
        minCapacity: action.minCapacity,
        maxCapacity: action.maxCapacity,
      });
    }
  }
}
