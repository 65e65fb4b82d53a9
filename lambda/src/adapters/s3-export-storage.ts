import { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Config } from "../config.js";

/** What one upload did, for the invocation's log line and the tests. */
export interface UploadOutcome {
  bytes: number;
  /** 0 for a single PutObject, else the number of multipart parts. */
  parts: number;
  /**
   * Milliseconds spent in S3 requests. For a single PUT that is the PUT alone (the body was complete
   * before it started); for a multipart upload it runs from its first request to its completion and
   * overlaps the database pages that feed the later parts.
   */
  requestMs: number;
}

export interface ExportStorage {
  /**
   * Stores the body at the key. A body of at most one part (5 MiB) goes up as one PutObject; a larger
   * one as a streamed multipart upload, part by part, so memory stays bounded whatever its size.
   */
  upload(key: string, body: AsyncIterable<string | Uint8Array>, downloadName: string): Promise<UploadOutcome>;
  presignDownload(key: string, downloadName: string): Promise<{ url: string; expiresAt: Date }>;
}

/** 5 MiB: S3's smallest multipart part, and the largest body sent as a single PUT. */
export const multipartPartBytes = 5 * 1024 * 1024;

export function createS3Client(config: Pick<Config, "region" | "exports">): S3Client {
  // The SDK's default Node handler keeps connections alive (keepAlive agent, up to 50 sockets), so a
  // warm environment reuses its TLS connection to S3 instead of handshaking per request.
  return new S3Client({
    region: config.region,
    endpoint: config.exports.s3Endpoint,
    forcePathStyle: config.exports.s3ForcePathStyle,
  });
}

export function createS3ExportStorage(client: S3Client, config: Pick<Config, "exports">): ExportStorage {
  const { bucket, presignExpiresSeconds } = config.exports;
  return {
    async upload(key, body, downloadName) {
      const objectParams = {
        Bucket: bucket,
        Key: key,
        ContentType: "text/csv; charset=utf-8",
        ContentDisposition: `attachment; filename="${downloadName}"`,
      };
      // Most exports are a few kilobytes: read the body up to the single-PUT limit first. If it ends
      // there, one PutObject with a known length is the whole upload (lib-storage would do the same
      // request, after more machinery); only a larger body becomes a multipart upload.
      const iterator = body[Symbol.asyncIterator]();
      const head: Buffer[] = [];
      let headBytes = 0;
      let ended = false;
      while (headBytes <= multipartPartBytes) {
        const next = await iterator.next();
        if (next.done === true) {
          ended = true;
          break;
        }
        const chunk = typeof next.value === "string" ? Buffer.from(next.value, "utf8") : Buffer.from(next.value);
        head.push(chunk);
        headBytes += chunk.byteLength;
      }

      if (ended) {
        const started = performance.now();
        await client.send(new PutObjectCommand({ ...objectParams, Body: Buffer.concat(head, headBytes) }));
        return { bytes: headBytes, parts: 0, requestMs: performance.now() - started };
      }

      let bytes = headBytes;
      async function* rest() {
        yield* head;
        head.length = 0;
        for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
          const chunk = typeof next.value === "string" ? Buffer.from(next.value, "utf8") : Buffer.from(next.value);
          bytes += chunk.byteLength;
          yield chunk;
        }
      }
      const started = performance.now();
      const upload = new Upload({
        client,
        params: { ...objectParams, Body: Readable.from(rest()) },
        // 5 MiB parts (the S3 minimum) and two in flight keep memory near 10 MiB for any export size.
        partSize: multipartPartBytes,
        queueSize: 2,
        leavePartsOnError: false,
      });
      let parts = 0;
      upload.on("httpUploadProgress", (progress) => {
        parts = Math.max(parts, progress.part ?? 0);
      });
      await upload.done();
      return { bytes, parts, requestMs: performance.now() - started };
    },
    async presignDownload(key, downloadName) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${downloadName}"`,
      });
      const url = await getSignedUrl(client, command, { expiresIn: presignExpiresSeconds });
      return { url, expiresAt: new Date(Date.now() + presignExpiresSeconds * 1000) };
    },
  };
}
