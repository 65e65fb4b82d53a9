import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvCell, formatCsvField, formatCsvRecord, generateCsv, isFormulaLike } from "../../src/csv/csv-writer.js";

async function collect(generator: AsyncGenerator<string>): Promise<string> {
  let text = "";
  for await (const chunk of generator) text += chunk;
  return text;
}

async function* inBatches<T>(items: T[], size: number): AsyncGenerator<T[]> {
  for (let index = 0; index < items.length; index += size) yield items.slice(index, index + size);
}

/** Parses with an independent RFC 4180 reader (csv-parse), keeping empty lines and all text as is. */
function parseCsv(text: string): string[][] {
  return parse(text, { relax_column_count: true, skip_empty_lines: false, record_delimiter: "\r\n", bom: false });
}

// Any unicode text, weighted towards the characters CSV must escape.
const cellText = fc.oneof(
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: fc.constantFrom('"', ",", "\r", "\n", "a", "=", "+", "-", "@", "\t", " ", "ü", "日", "😀") }),
);

describe("Function: formatCsvField", () => {
  it("quotes fields holding quotes, commas or line breaks and doubles inner quotes", () => {
    // Prepare / Act / Assess
    expect(formatCsvField("plain")).toBe("plain");
    expect(formatCsvField("a,b")).toBe('"a,b"');
    expect(formatCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvField("two\nlines")).toBe('"two\nlines"');
    expect(formatCsvField("cr\rhere")).toBe('"cr\rhere"');
    expect(formatCsvField("Grüße 日本 😀")).toBe("Grüße 日本 😀");
    expect(formatCsvField(null)).toBe("");
  });

  it("neutralises formula-like cells with a leading apostrophe", () => {
    expect(formatCsvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(formatCsvField("+1+1")).toBe("'+1+1");
    expect(formatCsvField("-2+3")).toBe("'-2+3");
    expect(formatCsvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(formatCsvField("\tcmd")).toBe("'\tcmd");
    expect(formatCsvField("\rcmd")).toBe('"\'\rcmd"');
  });

  it("leaves plain numbers alone, negative ones included", () => {
    expect(formatCsvField("-12.50")).toBe("-12.50");
    expect(formatCsvField("-12,50")).toBe('"-12,50"');
    expect(formatCsvField("+3")).toBe("+3");
    expect(isFormulaLike("-1e5")).toBe(false);
    expect(isFormulaLike("-1-1")).toBe(true);
  });

  it("writes formula-like text unchanged when the guard is off", () => {
    expect(formatCsvField("=1+1", { formulaGuard: false })).toBe("=1+1");
  });
});

describe("Function: formatCsvRecord", () => {
  it("ends records with CRLF and quotes a lone empty field so the line is not empty", () => {
    expect(formatCsvRecord(["a", null, "c"])).toBe("a,,c\r\n");
    expect(formatCsvRecord([null])).toBe('""\r\n');
    expect(formatCsvRecord([""])).toBe('""\r\n');
  });
});

describe("Function: generateCsv (property-based)", () => {
  it("parses back to exactly the input when the guard is off", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 5 })
          .chain((width) =>
            fc.tuple(
              fc.array(cellText, { minLength: width, maxLength: width }),
              fc.array(fc.array(cellText, { minLength: width, maxLength: width }), { maxLength: 20 }),
              fc.integer({ min: 1, max: 7 }),
            ),
          ),
        async ([header, rows, batchSize]) => {
          // Act
          const text = await collect(generateCsv(header, inBatches(rows, batchSize), { formulaGuard: false }));
          // Assess
          expect(parseCsv(text)).toEqual([header, ...rows]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("parses back to the input with an apostrophe before exactly the formula-like cells", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cellText, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 20 }),
        async (rows) => {
          const text = await collect(generateCsv(["a", "b", "c"], inBatches(rows, 4)));
          const expected = rows.map((row) =>
            row.map((cell) => (/^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(?:[.,]\d+)?$/.test(cell) ? `'${cell}` : cell)),
          );
          const parsed = parseCsv(text).slice(1);
          expect(parsed).toEqual(expected);
          // No parsed cell may start with a formula trigger unless it is a plain number.
          for (const cell of parsed.flat()) expect(isFormulaLike(cell)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("treats null as an empty field", async () => {
    const rows: CsvCell[][] = [
      [null, "x"],
      ["y", null],
    ];
    const text = await collect(generateCsv(["a", "b"], inBatches(rows, 1)));
    expect(text).toBe("a,b\r\n,x\r\ny,\r\n");
  });
});
