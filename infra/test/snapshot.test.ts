import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";

const PARTS = ["Network", "Data", "Function", "Monitoring", "PhoenixAccess"];

/**
 * Replaces what legitimately changes with every handler build (asset hashes, and the version
 * logical ID derived from the code hash) so the snapshot only moves when infrastructure does.
 */
function normalize(text: string): string {
  return text
    .replace(/[0-9a-f]{64}(\.zip)?/g, "<asset-hash>")
    .replace(/CurrentVersion[0-9A-F]{8}[0-9a-f]{32}/g, "CurrentVersion<code-hash>");
}

describe("production templates (normalized snapshot)", () => {
  // A refactoring safety net only; the fine-grained tests are what prove behaviour.
  it("match the reviewed snapshot", () => {
    const assemblyDir = inject("assemblyDir");
    const templates = Object.fromEntries(
      PARTS.map((part) => {
        const file = join(assemblyDir, `Phoenix-production-${part}.template.json`);
        return [part, JSON.parse(normalize(readFileSync(file, "utf8"))) as unknown];
      }),
    );
    expect(templates).toMatchSnapshot();
  });
});
