/**
 * CloudWatch statistics over weighted values (each simulated invocation stands for `weight` real ones):
 * SampleCount, Sum, Average, Minimum, Maximum, pNN, tmNN/TM(a:b), IQM, wmNN/WM(a:b), tcNN/TC(a:b),
 * tsNN/TS(a:b) and PR(a:b), with percentage or absolute bounds as CloudWatch defines them.
 */

export type ParsedStatistic =
  | { kind: "SampleCount" | "Sum" | "Average" | "Minimum" | "Maximum" }
  | { kind: "percentile"; percentile: number }
  | { kind: "trimmed"; variant: "tm" | "wm" | "tc" | "ts"; bound: Bound }
  | { kind: "percentileRank"; bound: Bound };

/** Lower/upper bounds; `percent` bounds are percentiles, otherwise values (lower exclusive, upper inclusive). */
export interface Bound {
  lower?: number;
  upper?: number;
  percent: boolean;
}

const NUMBER = "(\\d+(?:\\.\\d{1,10})?)";
const SHORT_FORM = new RegExp(`^(p|tm|wm|tc|ts)${NUMBER}$`);
const RANGE_FORM = new RegExp(`^(TM|WM|TC|TS|PR)\\((${NUMBER}?)(%?):(${NUMBER}?)(%?)\\)$`);

/** Parses a CloudWatch statistic name; undefined when it is not one. */
export function parseStatistic(text: string): ParsedStatistic | undefined {
  if (text === "SampleCount" || text === "Sum" || text === "Average" || text === "Minimum" || text === "Maximum") {
    return { kind: text };
  }
  if (text === "IQM") return { kind: "trimmed", variant: "tm", bound: { lower: 25, upper: 75, percent: true } };
  const short = SHORT_FORM.exec(text);
  if (short) {
    const value = Number(short[2]);
    if (!(value >= 0 && value <= 100)) return undefined;
    if (short[1] === "p") return { kind: "percentile", percentile: value };
    return { kind: "trimmed", variant: short[1] as "tm" | "wm" | "tc" | "ts", bound: { upper: value, percent: true } };
  }
  const range = RANGE_FORM.exec(text);
  if (!range) return undefined;
  const lowerText = range[2] ?? "";
  const upperText = range[5] ?? "";
  if (lowerText === "" && upperText === "") return undefined;
  const percent = range[4] === "%" || range[7] === "%";
  // Both bounds share one kind: "10%:90" mixes percentages and values, which CloudWatch rejects.
  if (lowerText !== "" && upperText !== "" && (range[4] === "%") !== (range[7] === "%")) return undefined;
  const bound: Bound = { percent };
  if (lowerText !== "") bound.lower = Number(lowerText);
  if (upperText !== "") bound.upper = Number(upperText);
  if (percent && ((bound.lower ?? 0) > 100 || (bound.upper ?? 100) > 100)) return undefined;
  if (bound.lower !== undefined && bound.upper !== undefined && bound.lower > bound.upper) return undefined;
  if (range[1] === "PR") return { kind: "percentileRank", bound };
  return { kind: "trimmed", variant: range[1]?.toLowerCase() as "tm" | "wm" | "tc" | "ts", bound };
}

/**
 * Values and weights of one period, in insertion order (typed buffers, reused across periods). When
 * values arrive in ascending order (merged from per-minute sorted samples) no sort is needed later.
 */
export class WeightedValues {
  values = new Float64Array(512);
  weights = new Float64Array(512);
  length = 0;
  totalWeight = 0;
  sum = 0;
  minimum = Number.POSITIVE_INFINITY;
  maximum = Number.NEGATIVE_INFINITY;
  /** Whether every value so far was ≥ the one before. */
  ascending = true;
  /** Scratch for the sorted view (reused: a sorted view only lives while one period is computed). */
  readonly scratch: Sorted = { values: new Float64Array(512), cumulative: new Float64Array(512), total: 0, length: 0 };
  keys = new Float64Array(512);
  order = new Uint32Array(512);

  reset(): void {
    this.length = 0;
    this.totalWeight = 0;
    this.sum = 0;
    this.minimum = Number.POSITIVE_INFINITY;
    this.maximum = Number.NEGATIVE_INFINITY;
    this.ascending = true;
  }

  add(value: number, weight: number): void {
    if (!(weight > 0)) return;
    if (this.length === this.values.length) this.grow();
    if (value < this.maximum) this.ascending = false;
    this.values[this.length] = value;
    this.weights[this.length] = weight;
    this.length++;
    this.totalWeight += weight;
    this.sum += value * weight;
    if (value < this.minimum) this.minimum = value;
    if (value > this.maximum) this.maximum = value;
  }

  private grow(): void {
    const size = this.values.length * 2;
    const values = new Float64Array(size);
    const weights = new Float64Array(size);
    values.set(this.values);
    weights.set(this.weights);
    this.values = values;
    this.weights = weights;
    this.scratch.values = new Float64Array(size);
    this.scratch.cumulative = new Float64Array(size);
    this.keys = new Float64Array(size);
    this.order = new Uint32Array(size);
  }

  get isEmpty(): boolean {
    return this.totalWeight <= 0;
  }
}

interface Sorted {
  values: Float64Array;
  cumulative: Float64Array; // cumulative weight up to and including index
  total: number;
  /** Entries in use (the buffers may be longer). */
  length: number;
}

// A sample's index rides in the low bits of a float64 key: with a 2^48 scale, up to 2^20 indices
// perturb a value by less than 2^-28 of itself (far below float32's 2^-24 spacing, so Math.fround
// recovers it) while distinct indices stay 16 float64 steps apart (so the index is recovered exactly).
// Weeks of samples (hundreds of thousands) then sort natively instead of through a comparator.
const INDEX_SCALE = 2 ** 48;
const FAST_SORT_LIMIT = 2 ** 20;

function sortWeighted(data: WeightedValues): Sorted {
  const count = data.length;
  const source = data.values;
  const sorted = data.scratch;
  const values = sorted.values;
  const cumulative = sorted.cumulative;
  sorted.length = count;
  let running = 0;
  if (data.ascending) {
    for (let index = 0; index < count; index++) {
      values[index] = source[index] as number;
      running += data.weights[index] as number;
      cumulative[index] = running;
    }
    sorted.total = running;
    return sorted;
  }
  if (count <= FAST_SORT_LIMIT && data.minimum > 0 && allFloat32(source, count)) {
    // Native numeric sort without a comparator is several times faster. Samples are float32 values,
    // so the sample's index fits in the unused low mantissa bits of a float64 key (a relative
    // perturbation far below float32 spacing), and Math.fround recovers the value.
    const keys = data.keys.subarray(0, count);
    for (let index = 0; index < count; index++) keys[index] = (source[index] as number) * (1 + index / INDEX_SCALE);
    keys.sort();
    for (let position = 0; position < count; position++) {
      const key = keys[position] as number;
      const value = Math.fround(key);
      const original = Math.round((key / value - 1) * INDEX_SCALE);
      values[position] = value;
      running += data.weights[original] as number;
      cumulative[position] = running;
    }
    sorted.total = running;
    return sorted;
  }
  const order = data.order.subarray(0, count);
  for (let index = 0; index < count; index++) order[index] = index;
  order.sort((a, b) => (source[a] as number) - (source[b] as number));
  for (let position = 0; position < count; position++) {
    const original = order[position] as number;
    values[position] = source[original] as number;
    running += data.weights[original] as number;
    cumulative[position] = running;
  }
  sorted.total = running;
  return sorted;
}

function allFloat32(values: Float64Array, count: number): boolean {
  for (let index = 0; index < count; index++) {
    const value = values[index] as number;
    if (Math.fround(value) !== value) return false;
  }
  return true;
}

/** Smallest value whose cumulative weight reaches `percentile`% of the total (nearest-rank). */
function percentileOf(sorted: Sorted, percentile: number): number {
  const rank = (percentile / 100) * sorted.total - 1e-9;
  // Binary search: the first index whose cumulative weight reaches the rank.
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted.cumulative[middle] as number) >= rank) high = middle;
    else low = middle + 1;
  }
  return sorted.values[low] as number;
}

/** Computes several statistics over one period's data, sorting at most once. */
export function computeStatistics(
  statistics: readonly ParsedStatistic[],
  data: WeightedValues,
): (number | undefined)[] {
  let sorted: Sorted | undefined;
  const lazySorted = (): Sorted => (sorted ??= sortWeighted(data));
  return statistics.map((statistic) => computeStatistic(statistic, data, lazySorted));
}

/** Computes `statistic` over the period's data; undefined when CloudWatch would return no value. */
export function computeStatistic(
  statistic: ParsedStatistic,
  data: WeightedValues,
  sortedOf: () => Sorted = () => sortWeighted(data),
): number | undefined {
  if (data.isEmpty) return undefined;
  switch (statistic.kind) {
    case "SampleCount":
      return data.totalWeight;
    case "Sum":
      return data.sum;
    case "Average":
      return data.sum / data.totalWeight;
    case "Minimum":
      return data.minimum;
    case "Maximum":
      return data.maximum;
    case "percentile":
      return percentileOf(sortedOf(), statistic.percentile);
    case "percentileRank": {
      // Share (%) of values inside the bounds.
      const sorted = sortedOf();
      const [low, high] = resolveBounds(sorted, statistic.bound);
      let inside = 0;
      for (let index = 0; index < sorted.length; index++) {
        const value = sorted.values[index] as number;
        if (value > low && value <= high) inside += weightAt(sorted, index);
      }
      return (100 * inside) / sorted.total;
    }
    case "trimmed": {
      const sorted = sortedOf();
      const [low, high] = resolveBounds(sorted, statistic.bound);
      let count = 0;
      let sum = 0;
      for (let index = 0; index < sorted.length; index++) {
        const value = sorted.values[index] as number;
        const weight = weightAt(sorted, index);
        if (statistic.variant === "wm") {
          const clamped = Math.min(Math.max(value, low), high);
          count += weight;
          sum += clamped * weight;
        } else if (value > low && value <= high) {
          count += weight;
          sum += value * weight;
        }
      }
      if (statistic.variant === "tc") return count;
      if (statistic.variant === "ts") return sum;
      return count > 0 ? sum / count : undefined;
    }
  }
}

function weightAt(sorted: Sorted, index: number): number {
  return (sorted.cumulative[index] as number) - (index > 0 ? (sorted.cumulative[index - 1] as number) : 0);
}

function resolveBounds(sorted: Sorted, bound: Bound): [number, number] {
  if (!bound.percent) {
    return [bound.lower ?? Number.NEGATIVE_INFINITY, bound.upper ?? Number.POSITIVE_INFINITY];
  }
  const low =
    bound.lower === undefined || bound.lower === 0 ? Number.NEGATIVE_INFINITY : percentileOf(sorted, bound.lower);
  const high =
    bound.upper === undefined || bound.upper === 100 ? Number.POSITIVE_INFINITY : percentileOf(sorted, bound.upper);
  return [low, high];
}
