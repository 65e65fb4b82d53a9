import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";

interface ManifestArtifact {
  readonly type: string;
  readonly properties?: { templateFile?: string; terminationProtection?: boolean };
  readonly dependencies?: string[];
}

const PARTS = ["Network", "Data", "Function", "Monitoring", "PhoenixAccess"];
const STACKS = ["staging", "production"].flatMap((stage) => PARTS.map((part) => `Phoenix-${stage}-${part}`));

describe("the synthesized cloud assembly (what npm run synth writes to cdk.out)", () => {
  it("holds a parseable CloudFormation template for every stack of both stages, and nothing else", () => {
    // Act
    const assemblyDir = inject("assemblyDir");
    const templates = readdirSync(assemblyDir).filter((file) => file.endsWith(".template.json"));

    // Assess
    expect(templates.sort()).toEqual(STACKS.map((stack) => `${stack}.template.json`).sort());
    for (const file of templates) {
      const template = JSON.parse(readFileSync(join(assemblyDir, file), "utf8")) as { Resources?: object };
      expect(Object.keys(template.Resources ?? {}).length, file).toBeGreaterThan(0);
    }
  });

  it("needed no context lookups (synthesis works without an AWS account)", () => {
    const manifest = JSON.parse(readFileSync(join(inject("assemblyDir"), "manifest.json"), "utf8")) as {
      missing?: unknown[];
    };
    expect(manifest.missing ?? []).toEqual([]);
  });

  it("orders the stacks network → data → function → monitoring/access, and protects stateful production stacks", () => {
    // Act
    const manifest = JSON.parse(readFileSync(join(inject("assemblyDir"), "manifest.json"), "utf8")) as {
      artifacts: Record<string, ManifestArtifact>;
    };
    const dependsOn = (stack: string): string[] =>
      (manifest.artifacts[stack]?.dependencies ?? []).filter((id) => !id.endsWith(".assets"));

    // Assess
    for (const stage of ["staging", "production"]) {
      expect(dependsOn(`Phoenix-${stage}-Data`)).toEqual([`Phoenix-${stage}-Network`]);
      expect(dependsOn(`Phoenix-${stage}-Function`).sort()).toEqual([
        `Phoenix-${stage}-Data`,
        `Phoenix-${stage}-Network`,
      ]);
      expect(dependsOn(`Phoenix-${stage}-Monitoring`)).toEqual([`Phoenix-${stage}-Function`]);
    }
    expect(manifest.artifacts["Phoenix-production-Data"]?.properties?.terminationProtection).toBe(true);
    expect(manifest.artifacts["Phoenix-production-Network"]?.properties?.terminationProtection).toBe(true);
    expect(manifest.artifacts["Phoenix-staging-Data"]?.properties?.terminationProtection).toBeFalsy();
  });
});
