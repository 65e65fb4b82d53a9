import type { Readable } from "node:stream";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Config } from "../config.js";

export interface ExportStorage {
  /** Streams the body to the key; large bodies go up as a multipart upload, part by part. */
  upload(key: string, body: Readable, downloadName: string): Promise<void>;
  presignDownload(key: string, downloadName: string): Promise<{ url: string; expiresAt: Date }>;
}

export function createS3Client(config: Pick<Config, "region" | "exports">): S3Client {
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
      const upload = new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: "text/csv; charset=utf-8",
          ContentDisposition: `attachment; filename="${downloadName}"`,
        },
        // 5 MiB parts (the S3 minimum) and two in flight keep memory near 10 MiB for any export size.
        partSize: 5 * 1024 * 1024,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
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
