import { Random } from "./random";

/**
 * The model's seeded noise, drawn once: a table of NOISE_ROWS rows of random factors (a log-normal
 * multiplier per duration step, and uniforms for the yes/no draws). A simulated invocation picks two
 * rows with its minute's generator — one for its compute-side factors, one for its database-side
 * factors (4096 × 4096 combinations) — and multiplies the step medians of that minute by them, so the
 * hot loop costs two random draws and a few multiply-adds instead of a dozen draws and exponentials.
 * A row is 16 float32 values: one 64-byte cache line, and the whole table (512 KB) stays in cache.
 *
 * The table is a fixed part of the model (its own constant seed); the sandbox seed decides which
 * rows each minute picks, so different seeds still give different histories.
 */

export const NOISE_ROWS = 1 << 13;

/**
 * Column of each factor in a row. `LN_*` columns are log-normal multipliers (median 1), `U_*` uniforms.
 * The compute-side row supplies COMPUTE, TRANSFORM, S3, INIT, BATCH, U_ERROR and U_MEMORY; the
 * database-side row CONNECT, PROXY, QUERY, CACHE_HIT, STALL, U_STALL and U_CACHE_MISS.
 */
export const NOISE = {
  LN_COMPUTE: 0,
  LN_TRANSFORM: 1,
  LN_CONNECT: 2,
  LN_PROXY: 3,
  LN_QUERY: 4,
  LN_CACHE_HIT: 5,
  LN_S3: 6,
  LN_STALL: 7,
  LN_INIT: 8,
  LN_BATCH: 9,
  /** Uniforms in [0, 1). */
  U_STALL: 10,
  U_CACHE_MISS: 11,
  U_ERROR: 12,
  U_MEMORY: 13,
} as const;
export const NOISE_COLUMNS = 16;

/** Log-space spread of each log-normal column. */
export interface NoiseSigmas {
  compute: number;
  transform: number;
  connect: number;
  proxy: number;
  query: number;
  cacheHit: number;
  s3: number;
  stall: number;
  init: number;
  batch: number;
}

const NOISE_TABLE_SEED = 0x5eed_0001;
let table: Float32Array | undefined;
let tableSigmas: string | undefined;

/** The noise table for these spreads (built on first use, then shared). Row r starts at r × NOISE_COLUMNS. */
export function noiseTable(sigmas: NoiseSigmas): Float32Array {
  const key = JSON.stringify(sigmas);
  if (table && tableSigmas === key) return table;
  const random = new Random(NOISE_TABLE_SEED);
  const out = new Float32Array(NOISE_ROWS * NOISE_COLUMNS);
  const spreads = [
    sigmas.compute,
    sigmas.transform,
    sigmas.connect,
    sigmas.proxy,
    sigmas.query,
    sigmas.cacheHit,
    sigmas.s3,
    sigmas.stall,
    sigmas.init,
    sigmas.batch,
  ];
  for (let row = 0; row < NOISE_ROWS; row++) {
    const base = row * NOISE_COLUMNS;
    for (let column = 0; column < spreads.length; column++) {
      out[base + column] = Math.exp((spreads[column] as number) * random.normal());
    }
    for (let column = spreads.length; column <= NOISE.U_MEMORY; column++) out[base + column] = random.next();
  }
  table = out;
  tableSigmas = key;
  return out;
}
