import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// scrypt parameters: N=2^15, r=8 costs ~32 MiB and tens of milliseconds per hash, OWASP's floor.
const N = 32768;
const r = 8;
const p = 1;
const keyLength = 32;
const maxmem = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, cost = { N, r, p }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, { ...cost, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hash in the form `scrypt$N$r$p$salt$key` (base64url), self-describing so parameters can grow. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

// A real hash of a random password: verifying against it costs the same as a real user's check,
// so the response time does not reveal whether a username exists.
let decoyHash: Promise<string> | undefined;

/** Constant-time check; `stored` undefined runs against a decoy so unknown users cost the same. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
  const hash = stored ?? (await decoyHash);
  const [scheme, n, rr, pp, salt, key] = hash.split("$");
  if (scheme !== "scrypt" || !n || !rr || !pp || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(rr), p: Number(pp) });
  return actual.length === expected.length && timingSafeEqual(actual, expected) && stored != null;
}

const commonPasswords = new Set([
  "password",
  "password123",
  "passw0rd",
  "123456789012",
  "qwertyuiop",
  "letmein",
  "welcome",
  "admin",
  "changeme",
  "iloveyou",
  "phoenix",
]);

/**
 * Password rules for local accounts: 12–256 characters, not a well-known password, and either three
 * kinds of character or a long passphrase (20+), following NIST 800-63B's preference for length.
 */
export const passwordSchema = z
  .string({ error: "Password is required" })
  .min(12, "Password must be at least 12 characters")
  .max(256, "Password must be at most 256 characters")
  .refine((value) => !commonPasswords.has(value.toLowerCase().replace(/[^a-z0-9]/g, "")), "Password is too common")
  .refine((value) => {
    if (value.length >= 20) return true;
    const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
    return kinds >= 3;
  }, "Password needs three of: lowercase, uppercase, digits, symbols (or use 20+ characters)");

/** A random password that satisfies the policy, for seeded demo users and resets. */
export function generatePassword(): string {
  return `${randomBytes(12).toString("base64url")}-Px7`;
}
