import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3ExportStorage, type ExportStorage, multipartPartBytes } from "../../src/adapters/s3-export-storage.js";
import { s3rverCredentials, startS3Server, type TestS3 } from "../support/s3-server.js";

// The export storage against a real S3-compatible server (s3rver): which requests a small and a large
// export make, and that what arrives is exactly what was sent. The requests are counted by the SDK
// client's own middleware stack, as they leave for the server.
let s3: TestS3;
let client: S3Client;
let storage: ExportStorage;
const sent: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
  client = new S3Client({
    region: "us-east-1",
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: s3rverCredentials,
  });
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "recordSentCommands" },
  );
  storage = createS3ExportStorage(client, {
    exports: {
      bucket: s3.bucket,
      keyPrefix: "exports/",
      presignExpiresSeconds: 900,
      maxRows: 1000,
      s3Endpoint: s3.endpoint,
      s3ForcePathStyle: true,
    },
  });
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});

async function* chunks(parts: (string | Uint8Array)[]) {
  for (const part of parts) yield part;
}

async function stored(key: string) {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return {
    bytes: Buffer.from((await object.Body?.transformToByteArray()) ?? []),
    contentType: object.ContentType,
    contentDisposition: object.ContentDisposition,
  };
}

describe("S3 export storage", () => {
  it("sends a small export as one PutObject, with its type and download name", async () => {
    sent.length = 0;
    const text = ["recorded_at,amount\r\n", "2025-07-22T12:02:15+02:00,12.50\r\n", 'ünïcödé,"a,b"\r\n'];
    const outcome = await storage.upload("exports/small/one.csv", chunks(text), "records-2025-07-22.csv");

    expect(sent).toEqual(["PutObjectCommand"]);
    expect(outcome.parts).toBe(0);
    expect(outcome.bytes).toBe(Buffer.byteLength(text.join("")));
    const object = await stored("exports/small/one.csv");
    expect(object.bytes.toString("utf8")).toBe(text.join(""));
    expect(object.contentType).toBe("text/csv; charset=utf-8");
    expect(object.contentDisposition).toBe('attachment; filename="records-2025-07-22.csv"');
  });

  it("stores an empty body as an empty object with one PutObject", async () => {
    sent.length = 0;
    const outcome = await storage.upload("exports/small/empty.csv", chunks([]), "empty.csv");
    expect(sent).toEqual(["PutObjectCommand"]);
    expect(outcome).toMatchObject({ bytes: 0, parts: 0 });
    expect((await stored("exports/small/empty.csv")).bytes.byteLength).toBe(0);
  });

  it("sends a body of exactly the single-PUT limit as one PutObject", async () => {
    sent.length = 0;
    const body = Buffer.alloc(multipartPartBytes, 0x61);
    const outcome = await storage.upload("exports/edge/limit.csv", chunks([body]), "limit.csv");
    expect(sent).toEqual(["PutObjectCommand"]);
    expect(outcome).toMatchObject({ bytes: multipartPartBytes, parts: 0 });
    expect((await stored("exports/edge/limit.csv")).bytes.equals(body)).toBe(true);
  });

  it("streams a body larger than one part as a multipart upload, byte for byte", async () => {
    sent.length = 0;
    // 11 MiB + a little in uneven chunks: three parts (5, 5, 1+), chunk borders not on part borders.
    const pieces: Buffer[] = [];
    for (let index = 0; index < 45; index++) pieces.push(Buffer.alloc(256 * 1024 + index, 65 + (index % 26)));
    const expected = Buffer.concat(pieces);
    const outcome = await storage.upload("exports/large/many.csv", chunks(pieces), "many.csv");

    expect(outcome.bytes).toBe(expected.byteLength);
    expect(outcome.parts).toBe(3);
    expect(sent[0]).toBe("CreateMultipartUploadCommand");
    expect(sent.filter((name) => name === "UploadPartCommand")).toHaveLength(3);
    expect(sent.at(-1)).toBe("CompleteMultipartUploadCommand");
    expect(sent).not.toContain("PutObjectCommand");
    const object = await stored("exports/large/many.csv");
    expect(object.bytes.equals(expected)).toBe(true);
    expect(object.contentDisposition).toBe('attachment; filename="many.csv"');
  });

  it("uploads nothing when the body fails before the single PUT", async () => {
    sent.length = 0;
    async function* failing() {
      yield "header\r\n";
      throw new Error("database went away");
    }
    await expect(storage.upload("exports/failed/small.csv", failing(), "x.csv")).rejects.toThrow("database went away");
    expect(sent).toEqual([]);
  });

  it("aborts the multipart upload when the body fails after the first part", async () => {
    sent.length = 0;
    async function* failing() {
      for (let index = 0; index < 24; index++) yield Buffer.alloc(256 * 1024, 66);
      throw new Error("database went away");
    }
    await expect(storage.upload("exports/failed/large.csv", failing(), "x.csv")).rejects.toThrow();
    expect(sent).toContain("CreateMultipartUploadCommand");
    expect(sent).not.toContain("CompleteMultipartUploadCommand");
    // No parts are left behind to be billed (s3rver cannot list open uploads, so the request is the witness).
    expect(sent.at(-1)).toBe("AbortMultipartUploadCommand");
    await expect(stored("exports/failed/large.csv")).rejects.toThrow();
  });
});
