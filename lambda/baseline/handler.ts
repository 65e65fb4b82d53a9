/**
 * BASELINE — FOR COMPARISON ONLY, NEVER DEPLOYED.
 *
 * `process-user-request` as the review found it, ported to Node so the benchmark can compare like
 * with like. It keeps the three causes the meeting named, on purpose:
 *   1. a dataframe library (nodejs-polars, a ~110 MB native package, pandas' kind) loaded at init
 *      only to turn rows into CSV;
 *   2. a new TLS database connection (handshake and authentication) on every invocation;
 *   3. the user's configuration read from the database on every request, no cache.
 * Everything else (event validation, S3 client at module scope, response shape) matches the optimized
 * handler so that the difference measured is the difference those causes make.
 */
import { readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import pl from "nodejs-polars";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { asError, HandlerError } from "../src/errors.js";
import { parseExportEvent } from "../src/event.js";
import { exportKey } from "../src/service/export-user-records.js";

const config = loadConfig(process.env);
const s3 = new S3Client({
  region: config.region,
  endpoint: config.exports.s3Endpoint,
  forcePathStyle: config.exports.s3ForcePathStyle,
});

/** Connections this process opened; read by the benchmark. */
export const baselineStats = { connectionsOpened: 0, queries: 0 };

interface ConfigRow {
  columns: string[] | null;
  time_zone: string | null;
  decimals: number | null;
  retention_days: number | null;
  decimal_separator: string | null;
}

async function exportWithNewConnection(
  userId: string,
  days: number | undefined,
  requestId: string,
  timings: { s3Ms: number },
) {
  const client = new pg.Client({
    host: config.db.host,
    port: config.db.port,
    database: config.db.database,
    user: config.db.user,
    password: config.db.password,
    ssl:
      config.db.tls === "disable"
        ? false
        : {
            ca: config.db.caBundlePath === undefined ? undefined : readFileSync(config.db.caBundlePath, "utf8"),
            rejectUnauthorized: true,
          },
  });
  try {
    await client.connect();
  } catch (caught) {
    throw new HandlerError("DATABASE_UNAVAILABLE", `connect: ${asError(caught).message}`, { cause: caught });
  }
  baselineStats.connectionsOpened++;
  try {
    baselineStats.queries++;
    const user = await client.query<{ id: string } & ConfigRow>(
      `SELECT u.id, c.columns, c.time_zone, c.decimals, c.decimal_separator, c.retention_days
       FROM users u LEFT JOIN user_configs c ON c.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    const row = user.rows[0];
    if (row === undefined) throw new HandlerError("USER_NOT_FOUND", `User ${userId} does not exist`);
    const columns = row.columns ?? ["recorded_at", "event_type", "amount", "currency", "status"];
    const timeZone = row.time_zone ?? "UTC";
    const decimals = row.decimals ?? 2;
    const retentionDays = row.retention_days ?? 30;
    const now = new Date();
    const since = new Date(now.getTime() - Math.min(days ?? retentionDays, retentionDays) * 86_400_000);

    baselineStats.queries++;
    const records = await client.query(
      `SELECT id::text AS record_id, recorded_at, event_type, amount::text AS amount, currency, status, note
       FROM user_records WHERE user_id = $1 AND recorded_at >= $2 ORDER BY recorded_at DESC, id DESC LIMIT $3`,
      [userId, since, config.exports.maxRows],
    );

    // The dataframe step the story describes: load rows, convert types and time zone, write CSV.
    let csv: Buffer;
    if (records.rows.length === 0) {
      csv = Buffer.from(`${columns.join(",")}\n`);
    } else {
      let frame = pl.readRecords(records.rows);
      frame = frame.withColumns(
        pl
          .col("recorded_at")
          .dt.replaceTimeZone("UTC")
          .dt.convertTimeZone(timeZone)
          .dt.strftime("%Y-%m-%dT%H:%M:%S%:z")
          .alias("recorded_at"),
        pl.col("amount").cast(pl.Float64).round(decimals).alias("amount"),
      );
      csv = frame.select(...columns).writeCSV();
    }

    const key = exportKey(config.exports.keyPrefix, userId, now, requestId);
    const s3Started = performance.now();
    await s3.send(
      new PutObjectCommand({ Bucket: config.exports.bucket, Key: key, Body: csv, ContentType: "text/csv" }),
    );
    const downloadUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: config.exports.bucket, Key: key }), {
      expiresIn: config.exports.presignExpiresSeconds,
    });
    timings.s3Ms = performance.now() - s3Started;
    return {
      key,
      rows: records.rows.length,
      downloadUrl,
      expiresAt: new Date(now.getTime() + config.exports.presignExpiresSeconds * 1000),
    };
  } finally {
    await client.end();
  }
}

export async function handler(
  event: unknown,
  context: { awsRequestId: string },
): Promise<APIGatewayProxyStructuredResultV2> {
  const started = performance.now();
  const timings = { s3Ms: 0 };
  try {
    const request = parseExportEvent(event);
    const result = await exportWithNewConnection(request.userId, request.days, context.awsRequestId, timings);
    // A minimal log line, so the benchmark can separate S3 time from the rest as it does for the optimized handler.
    process.stdout.write(
      `${JSON.stringify({ requestId: context.awsRequestId, s3Ms: timings.s3Ms, durationMs: performance.now() - started })}\n`,
    );
    return {
      statusCode: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ ...result, expiresAt: result.expiresAt.toISOString() }),
    };
  } catch (caught) {
    const error = caught instanceof HandlerError ? caught : new HandlerError("INTERNAL", asError(caught).message);
    return {
      statusCode: error.statusCode,
      body: JSON.stringify({ error: { code: error.code, message: error.userMessage } }),
    };
  }
}
