import { describe, expect, it } from "vitest";
import { loadStagesFile, parseStagesFile, type StagesFile } from "../lib/config/stage-config.js";

function realStagesCopy(): StagesFile {
  return structuredClone(loadStagesFile());
}

describe("infra/config/stages.json", () => {
  it("is valid, runs both stages on arm64 Node.js and says where the memory value comes from", () => {
    // Act
    const { stages } = loadStagesFile();

    // Assess
    for (const stage of [stages.staging, stages.production]) {
      expect(stage.function.architecture).toBe("arm64");
      expect(stage.function.runtime).toMatch(/^nodejs\d+\.x$/);
      expect(stage.function.memorySource.length).toBeGreaterThan(20);
      expect(stage.alarms.p90DurationThresholdMs).toBe(1000);
    }
    // Stateful production resources are protected; staging can be torn down.
    expect(stages.production.terminationProtection).toBe(true);
  });

  it("rejects a function timeout the HTTP API would never wait for", () => {
    const stages = realStagesCopy();
    stages.stages.staging.function.timeoutSeconds = 60;
    expect(() => parseStagesFile(stages)).toThrow(/function\.timeoutSeconds/);
  });

  it("rejects a log retention CloudWatch Logs does not offer", () => {
    const stages = realStagesCopy();
    stages.stages.production.function.logRetentionDays = 45;
    expect(() => parseStagesFile(stages)).toThrow(/log retention must be one of/);
  });

  it("rejects an imported database inside a newly created VPC", () => {
    // Prepare
    const stages = realStagesCopy();
    stages.stages.staging.database = {
      mode: "import",
      engineVersion: "16.4",
      clusterIdentifier: "team-aurora",
      securityGroupId: "sg-0123456789abcdef0",
      databaseName: "app",
      appUser: "process_user_request",
      secretRotationDays: 30,
    };

    // Act / Assess
    expect(() => parseStagesFile(stages)).toThrow(/imported database needs the imported network/);
  });

  it("rejects alarm settings that can never fire", () => {
    const stages = realStagesCopy();
    stages.stages.staging.alarms.durationDatapointsToAlarm = 6;
    expect(() => parseStagesFile(stages)).toThrow(/durationDatapointsToAlarm must not exceed/);
  });
});
