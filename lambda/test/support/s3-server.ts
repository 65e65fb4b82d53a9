/// <reference path="./s3rver.d.ts" />
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/**
 * A real S3-compatible server (s3rver, from npm) on a random local port, speaking the S3 REST API
 * to the real SDK client. Its credentials are s3rver's fixed local ones, not secrets.
 */

export const s3rverCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface TestS3 {
  endpoint: string;
  bucket: string;
  client: S3Client;
  stop(): Promise<void>;
}

export async function startS3Server(bucket = "phoenix-exports"): Promise<TestS3> {
  const directory = mkdtempSync(path.join(tmpdir(), "phoenix-s3-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials: s3rverCredentials });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    endpoint,
    bucket,
    client,
    async stop() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The same server in a child process of its own (for the benchmark). */
export async function startS3ServerProcess(bucket = "phoenix-exports"): Promise<TestS3> {
  const child = fork(fileURLToPath(new URL("./s3-server-process.mjs", import.meta.url)), [bucket], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message: { port: number }) => resolve(message.port));
    child.once("exit", (code) => reject(new Error(`s3rver process exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials: s3rverCredentials });
  return {
    endpoint,
    bucket,
    client,
    stop: () =>
      new Promise((resolve) => {
        client.destroy();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
