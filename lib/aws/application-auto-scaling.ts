import {
  type ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { callAws } from "./errors";

/**
 * Application Auto Scaling reads: the scaling activities of a function's provisioned concurrency
 * (each fired scheduled action leaves one), for chart annotations.
 */

export interface ScalingActivity {
  activityId: string;
  resourceId: string;
  startMs: number;
  description: string;
  cause: string;
  status: string;
}

/**
 * Activities of `function:<name>:<qualifier>` targets, newest first, back to `sinceMs` (AWS keeps
 * six weeks of them). Stops paging once activities are older than `sinceMs`.
 */
export async function listScalingActivities(
  client: ApplicationAutoScalingClient,
  resourceId: string,
  sinceMs: number,
): Promise<ScalingActivity[]> {
  const activities: ScalingActivity[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const output = await callAws(
      "ApplicationAutoScaling.DescribeScalingActivities",
      `read the scaling activities of ${resourceId}`,
      () =>
        client.send(
          new DescribeScalingActivitiesCommand({
            ServiceNamespace: "lambda",
            ResourceId: resourceId,
            ScalableDimension: "lambda:function:ProvisionedConcurrency",
            MaxResults: 50,
            NextToken: token,
          }),
        ),
    );
    let reachedOlder = false;
    for (const activity of output.ScalingActivities ?? []) {
      const startMs = activity.StartTime?.getTime() ?? 0;
      if (startMs < sinceMs) {
        reachedOlder = true;
        continue;
      }
      activities.push({
        activityId: activity.ActivityId ?? `${resourceId}-${startMs}`,
        resourceId: activity.ResourceId ?? resourceId,
        startMs,
        description: activity.Description ?? "Scaling activity",
        cause: activity.Cause ?? "",
        status: activity.StatusCode ?? "",
      });
    }
    nextToken = reachedOlder ? undefined : output.NextToken;
  } while (nextToken);
  return activities;
}
