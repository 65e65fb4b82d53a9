import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { PostgresConnection, QueryTiming } from "./adapters/postgres-connection.js";
import type { ExportStorage } from "./adapters/s3-export-storage.js";
import type { CacheOutcome, UserConfigCache } from "./adapters/user-config-cache.js";
import { loadUserConfigFromDatabase, readRecentRecords } from "./adapters/user-store.js";
import type { Config } from "./config.js";
import { asError, HandlerError } from "./errors.js";
import { parseExportEvent } from "./event.js";
import { formatInvocationLine } from "./observability/invocation-record.js";
import { exportUserRecords } from "./service/export-user-records.js";

/** The parts of the Lambda context the handler reads. */
export interface InvocationContext {
  awsRequestId: string;
}

export interface HandlerDependencies {
  config: Config;
  db: PostgresConnection;
  cache: UserConfigCache;
  storage: ExportStorage;
  writeLine: (line: string) => void;
  /** Reported on the first invocation only, then the environment is warm. */
  coldStart: { pending: boolean; initDurationMs: number | undefined };
  now?: () => Date;
}

export type ExportHandler = (event: unknown, context: InvocationContext) => Promise<APIGatewayProxyStructuredResultV2>;

const jsonHeaders = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

function errorResponse(error: HandlerError, requestId: string): APIGatewayProxyStructuredResultV2 {
  const retryAfter = error.retryAfterSeconds;
  return {
    statusCode: error.statusCode,
    headers: retryAfter === undefined ? jsonHeaders : { ...jsonHeaders, "retry-after": String(retryAfter) },
    body: JSON.stringify({
      error: {
        code: error.code,
        message: error.userMessage,
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      },
      requestId,
    }),
  };
}

/**
 * Builds the handler from its parts. `index.ts` wires the real ones at init; tests wire the same
 * real adapters with their own configuration.
 */
export function createHandler(deps: HandlerDependencies): ExportHandler {
  const now = deps.now ?? (() => new Date());
  const { config } = deps;

  return async (event, context) => {
    const started = performance.now();
    const requestId = context.awsRequestId;
    const coldStart = deps.coldStart.pending;
    deps.coldStart.pending = false;

    const dbTiming: QueryTiming = { ms: 0, queries: 0 };
    let cache: CacheOutcome | undefined;
    let rows = 0;
    let s3Ms = 0;
    let response: APIGatewayProxyStructuredResultV2;
    let failure: HandlerError | undefined;

    try {
      const request = parseExportEvent(event);
      // On the first invocation of an environment, the database handshake overlaps the cache lookup
      // instead of following it; later it is a no-op (the connection exists). Failures surface, once,
      // through the first query, which joins this same connect.
      void deps.db.warmUp().catch(() => {});
      const result = await exportUserRecords(
        { userId: request.userId, days: request.days, requestId },
        {
          lookupConfig: async (userId) => {
            const found = await deps.cache.lookup(userId, (id) => loadUserConfigFromDatabase(deps.db, id, dbTiming));
            cache = found.cache;
            return found;
          },
          readRecords: (query) => readRecentRecords(deps.db, { ...query, pageRows: config.db.pageRows }, dbTiming),
          storage: deps.storage,
          now,
        },
        { keyPrefix: config.exports.keyPrefix, maxRows: config.exports.maxRows },
      );
      rows = result.rows;
      s3Ms = result.s3Ms;
      response = {
        statusCode: 200,
        headers: jsonHeaders,
        body: JSON.stringify({
          key: result.key,
          rows: result.rows,
          downloadUrl: result.downloadUrl,
          expiresAt: result.expiresAt.toISOString(),
        }),
      };
    } catch (caught) {
      const error = asError(caught);
      // Anything unforeseen becomes a plain 500: its message and stack go to the log only.
      failure =
        error instanceof HandlerError
          ? error
          : new HandlerError("INTERNAL", `${error.name}: ${error.message}`, { cause: error });
      response = errorResponse(failure, requestId);
    }

    deps.writeLine(
      formatInvocationLine({
        functionName: config.functionName,
        requestId,
        coldStart,
        initDurationMs: coldStart ? deps.coldStart.initDurationMs : undefined,
        cache,
        dbMs: dbTiming.ms,
        dbQueries: dbTiming.queries,
        s3Ms,
        rows,
        durationMs: performance.now() - started,
        statusCode: response.statusCode ?? 200,
        error: failure === undefined ? undefined : { code: failure.code, message: failure.message },
        timestamp: now(),
      }),
    );
    return response;
  };
}
