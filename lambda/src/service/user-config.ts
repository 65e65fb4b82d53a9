import * as z from "zod";

/**
 * A user's export configuration: which columns, in which time zone and number format, and how far
 * back (retention). It changes rarely, which is why it is cached (see `adapters/user-config-cache.ts`).
 */

export const exportColumns = [
  "record_id",
  "recorded_at",
  "event_type",
  "amount",
  "currency",
  "status",
  "note",
] as const;
export type ExportColumn = (typeof exportColumns)[number];

// Checking a zone builds an Intl.DateTimeFormat, which costs more than the rest of validating a cached
// configuration; zones found valid are remembered (a few hundred exist, so the set stays small).
// Invalid ones are not, so arbitrary input cannot grow it.
const knownTimeZones = new Set<string>();

export function isKnownTimeZone(value: string): boolean {
  if (knownTimeZones.has(value)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
  } catch {
    return false;
  }
  knownTimeZones.add(value);
  return true;
}

export const userConfigSchema = z.object({
  columns: z
    .array(z.enum(exportColumns))
    .min(1)
    .refine((columns) => new Set(columns).size === columns.length, "columns must not repeat"),
  timeZone: z.string().refine(isKnownTimeZone, "must be an IANA time zone such as Europe/Berlin"),
  numberFormat: z.object({
    decimals: z.number().int().min(0).max(6),
    decimalSeparator: z.enum([".", ","]),
  }),
  retentionDays: z.number().int().min(1).max(3650),
});

export type UserConfig = z.infer<typeof userConfigSchema>;

/** Used for a known user who never saved a configuration. */
export const defaultUserConfig: UserConfig = {
  columns: ["recorded_at", "event_type", "amount", "currency", "status"],
  timeZone: "UTC",
  numberFormat: { decimals: 2, decimalSeparator: "." },
  retentionDays: 30,
};

/** What a configuration lookup found: a known user's configuration, or that the user does not exist. */
export type UserConfigLookup = { found: true; config: UserConfig } | { found: false };

export const userConfigLookupSchema: z.ZodType<UserConfigLookup> = z.discriminatedUnion("found", [
  z.object({ found: z.literal(true), config: userConfigSchema }),
  z.object({ found: z.literal(false) }),
]);
