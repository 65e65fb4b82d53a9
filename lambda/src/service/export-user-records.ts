import type { ExportStorage } from "../adapters/s3-export-storage.js";
import type { ConfigLookupResult } from "../adapters/user-config-cache.js";
import type { RecordPageQuery } from "../adapters/user-store.js";
import { generateCsv } from "../csv/csv-writer.js";
import { asError, HandlerError } from "../errors.js";
import { formatRecord, type UserRecordRow } from "./record-format.js";
import type { UserConfig } from "./user-config.js";

/** What the function does, free of Lambda and of any particular client: the handler wires the ports. */

export interface ExportRequest {
  userId: string;
  /** Narrows the window below the user's retention; never widens it. */
  days: number | undefined;
  requestId: string;
}

export interface ExportPorts {
  lookupConfig(userId: string): Promise<ConfigLookupResult>;
  readRecords(query: Omit<RecordPageQuery, "pageRows">): AsyncIterable<UserRecordRow[]>;
  storage: ExportStorage;
  now(): Date;
}

export interface ExportSettings {
  keyPrefix: string;
  maxRows: number;
}

export interface ExportResult {
  key: string;
  rows: number;
  downloadUrl: string;
  expiresAt: Date;
  cache: ConfigLookupResult["cache"];
  /** Time in S3 requests (see `UploadOutcome.requestMs`), plus any wait for the link's pre-signing after them. */
  s3Ms: number;
  bytes: number;
  /** 0: one PutObject; otherwise the parts of a multipart upload. */
  parts: number;
}

const dayMs = 24 * 3600 * 1000;

/** `exports/<user>/2025-07-22T10-02-15Z-<request id>.csv`: unique per request, sortable by time. */
export function exportKey(prefix: string, userId: string, at: Date, requestId: string): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(":", "-");
  const safeRequestId = requestId.replace(/[^A-Za-z0-9-]/g, "").slice(0, 64);
  return `${prefix}${userId}/${stamp}-${safeRequestId}.csv`;
}

function isTransientStorageError(error: Error): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  // No HTTP status at all: the request never got an answer (refused, reset, timed out).
  return true;
}

export async function exportUserRecords(
  request: ExportRequest,
  ports: ExportPorts,
  settings: ExportSettings,
): Promise<ExportResult> {
  const { lookup, cache } = await ports.lookupConfig(request.userId);
  if (!lookup.found) throw new HandlerError("USER_NOT_FOUND", `User ${request.userId} does not exist`);
  const config: UserConfig = lookup.config;

  const now = ports.now();
  const days = Math.min(request.days ?? config.retentionDays, config.retentionDays);
  const since = new Date(now.getTime() - days * dayMs);
  const key = exportKey(settings.keyPrefix, request.userId, now, request.requestId);
  const downloadName = `records-${now.toISOString().slice(0, 10)}.csv`;

  let rows = 0;
  async function* formattedBatches() {
    const pages = ports.readRecords({
      userId: request.userId,
      since,
      decimals: config.numberFormat.decimals,
      maxRows: settings.maxRows,
    });
    for await (const page of pages) {
      rows += page.length;
      yield page.map((row) => formatRecord(row, config));
    }
  }

  try {
    const uploading = ports.storage.upload(key, generateCsv(config.columns, formattedBatches()), downloadName);
    // Pre-signing is local work (no request): done while the upload waits on the database and S3,
    // it leaves the critical path. The link is only handed out once the upload has succeeded.
    const presigning = ports.storage.presignDownload(key, downloadName);
    presigning.catch(() => {}); // if the upload fails first, its error is the one reported
    const uploaded = await uploading;
    const waitStarted = performance.now();
    const { url, expiresAt } = await presigning;
    const s3Ms = uploaded.requestMs + (performance.now() - waitStarted);
    return { key, rows, downloadUrl: url, expiresAt, cache, s3Ms, bytes: uploaded.bytes, parts: uploaded.parts };
  } catch (caught) {
    const error = asError(caught);
    // A database failure while streaming surfaces through the upload: keep its meaning.
    if (error instanceof HandlerError) throw error;
    if (isTransientStorageError(error)) {
      throw new HandlerError("STORAGE_UNAVAILABLE", `Export upload failed: ${error.name}: ${error.message}`, {
        cause: error,
      });
    }
    throw new HandlerError("INTERNAL", `Export upload failed: ${error.name}: ${error.message}`, { cause: error });
  }
}
