import { describe, expect, it } from "vitest";
import {
  type AuditAnnotationSource,
  buildAnnotations,
  functionOfResource,
  isFunctionTarget,
} from "./latency-annotations";

const at = (minute: number) => Date.parse("2025-07-22T10:00:00Z") + minute * 60_000;
const arn = (qualifier = "") => `arn:aws:lambda:us-east-1:123456789012:function:process-user-request${qualifier}`;

function audit(id: number, minute: number, overrides: Partial<AuditAnnotationSource> = {}): AuditAnnotationSource {
  return {
    id,
    at: new Date(at(minute)).toISOString(),
    actor: "dana",
    action: "lambda.update-memory",
    target: "function:process-user-request",
    input: '{"memoryMb":1024}',
    outcome: "success",
    ...overrides,
  };
}

describe("which targets and resources belong to a function", () => {
  it.each([
    ["function:process-user-request", true],
    ["function:process-user-request:live", true],
    ["function:process-user-request-v2", false],
    ["user:process-user-request", false],
    [null, false],
  ])("%s → %s", (target, expected) => {
    expect(isFunctionTarget(target, "process-user-request")).toBe(expected);
  });

  it("reads the function from Lambda ARNs and Auto Scaling resource ids", () => {
    expect(functionOfResource(arn(":live"))).toBe("process-user-request");
    expect(functionOfResource("function:process-user-request:live")).toBe("process-user-request");
    expect(functionOfResource("table/orders")).toBeUndefined();
  });
});

describe("buildAnnotations", () => {
  it("merges the sources oldest first, keeping only this function and this window", () => {
    const annotations = buildAnnotations("process-user-request", at(0), at(120), {
      audit: [audit(2, 90), audit(1, 10, { target: "function:other" }), audit(3, 200)],
      history: [
        {
          at: at(30),
          service: "sandbox",
          action: "ScenarioEvent:rds-proxy",
          resource: arn(),
          detail: { title: "RDS Proxy" },
        },
      ],
      activities: [
        {
          activityId: "a1",
          resourceId: "function:process-user-request:live",
          startMs: at(60),
          description: "Setting min capacity to 50",
          cause: "scheduled action name business-hours-peak was triggered",
          status: "Successful",
        },
      ],
    });
    expect(annotations.map((annotation) => [annotation.kind, annotation.title, annotation.who])).toEqual([
      ["scenario", "RDS Proxy", "Sandbox scenario event"],
      ["schedule", "Setting min capacity to 50", "scheduled action name business-hours-peak was triggered"],
      ["change", "lambda.update-memory", "dana"],
    ]);
  });

  it("drops the sandbox's record of a change Phoenix audited, and merges one change's API calls", () => {
    const annotations = buildAnnotations("process-user-request", at(0), at(120), {
      audit: [
        audit(7, 10, {
          action: "sandbox.apply-scenario-event",
          before: '{"event":"redis-cache","title":"Cache the user configuration in Redis"}',
        }),
      ],
      history: [
        { at: at(10) + 500, service: "sandbox", action: "ScenarioEvent:redis-cache", resource: arn(), detail: {} },
        {
          at: at(50),
          service: "lambda",
          action: "UpdateFunctionConfiguration",
          resource: arn(),
          detail: { MemorySize: 1024 },
        },
        { at: at(51), service: "lambda", action: "PublishVersion", resource: arn(":15"), detail: {} },
        {
          at: at(51),
          service: "lambda",
          action: "UpdateAlias",
          resource: arn(":live"),
          detail: { FunctionVersion: "15" },
        },
      ],
    });
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatchObject({
      kind: "scenario",
      title: "Cache the user configuration in Redis",
      who: "dana",
    });
    expect(annotations[1]).toMatchObject({
      kind: "aws",
      title: "Configuration: memory 1024 MB",
      detail: "Published a new version; Alias live → version 15",
    });
  });

  it("says when an audited change failed", () => {
    const [annotation] = buildAnnotations("process-user-request", at(0), at(60), {
      audit: [audit(9, 5, { outcome: "failure" })],
    });
    expect(annotation?.title).toBe("lambda.update-memory (failure)");
  });
});
