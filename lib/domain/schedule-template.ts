import pcSchedule from "@/infra/config/pc-schedule.json";

/**
 * The meeting's provisioned-concurrency plan (action item 6), read from the CDK app's configuration
 * so the dashboard and the infrastructure never disagree: weekday business hours at the peak,
 * evenings and nights low, weekends low or 0. "0" is a scheduled capacity of 0 through Application
 * Auto Scaling (which deletes the PC config): PutProvisionedConcurrencyConfig itself needs at least 1.
 */

export type TemplateStage = keyof typeof pcSchedule.stages;
export const templateStages = Object.keys(pcSchedule.stages) as TemplateStage[];

export interface TemplateAction {
  name: string;
  schedule: string;
  timeZone: string;
  minCapacity: number;
  maxCapacity: number;
}

export interface ScheduleTemplate {
  stage: TemplateStage;
  timeZone: string;
  registration: { minCapacity: number; maxCapacity: number };
  actions: TemplateAction[];
  /** The weekend action's capacity as configured (the plan allows it or 0). */
  configuredWeekendCapacity: number;
}

/** The action that starts the weekend (its name in the configuration). */
const WEEKEND_ACTION = "weekend";

/** The template of a stage, with the weekend at its configured capacity or at 0. */
export function scheduleTemplate(stage: TemplateStage, weekendZero: boolean): ScheduleTemplate {
  const config = pcSchedule.stages[stage];
  const weekend = config.scheduledActions.find((action) => action.name === WEEKEND_ACTION);
  const actions = config.scheduledActions.map((action) => {
    const zero = weekendZero && action.name === WEEKEND_ACTION;
    return {
      name: action.name,
      schedule: action.schedule,
      timeZone: pcSchedule.timeZone,
      minCapacity: zero ? 0 : action.minCapacity,
      maxCapacity: zero ? 0 : action.maxCapacity,
    };
  });
  return {
    stage,
    timeZone: pcSchedule.timeZone,
    // Weekends at 0 need a floor of 0, or registering the target would pin PC at the old minimum.
    registration: weekendZero ? { ...config.registration, minCapacity: 0 } : { ...config.registration },
    actions,
    configuredWeekendCapacity: weekend?.minCapacity ?? 0,
  };
}

export const templateFunction = { functionName: pcSchedule.functionName, aliasName: pcSchedule.aliasName };
