import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, passwordSchema, verifyPassword } from "./passwords";

describe("password policy", () => {
  it.each([
    ["short1A!", "Password must be at least 12 characters"],
    ["password123", "Password must be at least 12 characters"],
    ["Password-123", "Password is too common"],
    ["alllowercaseletters", "Password needs three of: lowercase, uppercase, digits, symbols (or use 20+ characters)"],
    ["x".repeat(257), "Password must be at most 256 characters"],
  ])("rejects %j", (password, message) => {
    const result = passwordSchema.safeParse(password);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toContain(message);
  });

  it.each(["Correct-Horse-42", "a long passphrase of plain words", "Ünïcødé-Pässwörd-9"])("accepts %j", (password) => {
    expect(passwordSchema.safeParse(password).success).toBe(true);
  });

  it("generates passwords that satisfy the policy and differ each time", () => {
    const generated = new Set(Array.from({ length: 20 }, generatePassword));
    expect(generated.size).toBe(20);
    for (const password of generated) expect(passwordSchema.safeParse(password).success).toBe(true);
  });
});

describe("hash and verify", () => {
  it("verifies the right password only, and never an absent hash", async () => {
    const hash = await hashPassword("Correct-Horse-42");
    expect(await verifyPassword("Correct-Horse-42", hash)).toBe(true);
    expect(await verifyPassword("correct-horse-42", hash)).toBe(false);
    expect(await verifyPassword("Correct-Horse-42", null)).toBe(false);
    expect(await verifyPassword("Correct-Horse-42", undefined)).toBe(false);
    expect(await verifyPassword("Correct-Horse-42", "md5$abc")).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("Correct-Horse-42")).not.toBe(await hashPassword("Correct-Horse-42"));
  });
});
