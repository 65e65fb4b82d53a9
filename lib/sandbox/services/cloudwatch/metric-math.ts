import { cloudWatchErrors } from "./errors";

/**
 * A small subset of CloudWatch metric math: numbers, query ids, + - * /, parentheses, unary minus,
 * and the functions SUM, AVG, MIN, MAX over a list of series or METRICS() (AWS_BEHAVIOUR.md §2.1).
 * As in CloudWatch, a missing value counts as 0 in arithmetic and a division by zero drops the point.
 */
export type Series = Map<number, number>;
type Value = { kind: "scalar"; value: number } | { kind: "series"; series: Series } | { kind: "list"; items: Series[] };

type Token = { type: "number"; value: number } | { type: "id"; value: string } | { type: "op"; value: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\(|\)|\+|-|\*|\/|,|"[^"]*"))/y;
  let index = 0;
  while (index < expression.length) {
    if (/\s/.test(expression[index] as string)) {
      index++;
      continue;
    }
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match)
      throw cloudWatchErrors.validation(
        `Invalid metric math expression: unexpected character at position ${index + 1}`,
      );
    if (match[1] !== undefined) tokens.push({ type: "number", value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ type: "id", value: match[2] });
    else tokens.push({ type: "op", value: match[3] as string });
    index = pattern.lastIndex;
  }
  return tokens;
}

export function evaluateExpression(
  expression: string,
  resolve: (id: string) => Series | undefined,
  allMetrics: () => Series[],
): Series {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const expect = (value: string): void => {
    const token = tokens[position++];
    if (token?.type !== "op" || token.value !== value)
      throw cloudWatchErrors.validation(`Invalid metric math expression: expected '${value}'`);
  };

  const parseExpression = (): Value => {
    let left = parseTerm();
    for (let token = peek(); token?.type === "op" && (token.value === "+" || token.value === "-"); token = peek()) {
      position++;
      left = combine(left, parseTerm(), token.value);
    }
    return left;
  };
  const parseTerm = (): Value => {
    let left = parseFactor();
    for (let token = peek(); token?.type === "op" && (token.value === "*" || token.value === "/"); token = peek()) {
      position++;
      left = combine(left, parseFactor(), token.value);
    }
    return left;
  };
  const parseFactor = (): Value => {
    const token = tokens[position++];
    if (!token) throw cloudWatchErrors.validation("Invalid metric math expression: unexpected end");
    if (token.type === "number") return { kind: "scalar", value: token.value };
    if (token.type === "op" && token.value === "-") return combine({ kind: "scalar", value: 0 }, parseFactor(), "-");
    if (token.type === "op" && token.value === "(") {
      const inner = parseExpression();
      expect(")");
      return inner;
    }
    if (token.type === "id") {
      const next = peek();
      if (next?.type === "op" && next.value === "(") {
        position++;
        const args: Value[] = [];
        if (!(peek()?.type === "op" && peek()?.value === ")")) {
          if (token.value === "METRICS") {
            const filter = peek();
            if (filter?.type === "op" && filter.value.startsWith('"')) position++;
          } else {
            args.push(parseExpression());
            while (peek()?.type === "op" && peek()?.value === ",") {
              position++;
              args.push(parseExpression());
            }
          }
        }
        expect(")");
        return callFunction(token.value, args, allMetrics);
      }
      const series = resolve(token.value);
      if (!series)
        throw cloudWatchErrors.validation(`Invalid metric math expression: unknown metric id ${token.value}`);
      return { kind: "series", series };
    }
    throw cloudWatchErrors.validation(`Invalid metric math expression: unexpected '${token.value}'`);
  };

  const result = parseExpression();
  if (position < tokens.length) throw cloudWatchErrors.validation("Invalid metric math expression: trailing input");
  if (result.kind === "series") return result.series;
  if (result.kind === "list") return result.items[0] ?? new Map();
  throw cloudWatchErrors.validation("Invalid metric math expression: the expression must return a time series");
}

function callFunction(name: string, args: Value[], allMetrics: () => Series[]): Value {
  if (name === "METRICS") return { kind: "list", items: allMetrics() };
  const items: Series[] = [];
  for (const argument of args) {
    if (argument.kind === "series") items.push(argument.series);
    else if (argument.kind === "list") items.push(...argument.items);
    else throw cloudWatchErrors.validation(`Invalid metric math expression: ${name} expects time series`);
  }
  if (!["SUM", "AVG", "MIN", "MAX"].includes(name))
    throw cloudWatchErrors.validation(`Invalid metric math expression: unsupported function ${name}`);
  if (items.length === 1 && args[0]?.kind === "series") {
    // SUM(m1) of a single series reduces over time in CloudWatch; the sandbox only reduces across series.
    throw cloudWatchErrors.validation(
      `Invalid metric math expression: ${name} of a single time series is not supported by the sandbox`,
    );
  }
  const timestamps = new Set<number>();
  for (const series of items) for (const timestamp of series.keys()) timestamps.add(timestamp);
  const out: Series = new Map();
  for (const timestamp of [...timestamps].sort((a, b) => a - b)) {
    const values = items.map((series) => series.get(timestamp)).filter((value): value is number => value !== undefined);
    if (values.length === 0) continue;
    const sum = values.reduce((total, value) => total + value, 0);
    out.set(
      timestamp,
      name === "SUM"
        ? sum
        : name === "AVG"
          ? sum / values.length
          : name === "MIN"
            ? Math.min(...values)
            : Math.max(...values),
    );
  }
  return { kind: "series", series: out };
}

function combine(left: Value, right: Value, operator: string): Value {
  const apply = (a: number, b: number): number | undefined => {
    if (operator === "+") return a + b;
    if (operator === "-") return a - b;
    if (operator === "*") return a * b;
    return b === 0 ? undefined : a / b;
  };
  if (left.kind === "list" || right.kind === "list")
    throw cloudWatchErrors.validation("Invalid metric math expression: arithmetic on METRICS() needs a function");
  if (left.kind === "scalar" && right.kind === "scalar") {
    const value = apply(left.value, right.value);
    return { kind: "scalar", value: value ?? Number.NaN };
  }
  const timestamps = new Set<number>();
  if (left.kind === "series") for (const timestamp of left.series.keys()) timestamps.add(timestamp);
  if (right.kind === "series") for (const timestamp of right.series.keys()) timestamps.add(timestamp);
  const out: Series = new Map();
  for (const timestamp of [...timestamps].sort((a, b) => a - b)) {
    const a = left.kind === "scalar" ? left.value : (left.series.get(timestamp) ?? 0);
    const b = right.kind === "scalar" ? right.value : (right.series.get(timestamp) ?? 0);
    const value = apply(a, b);
    if (value !== undefined && Number.isFinite(value)) out.set(timestamp, value);
  }
  return { kind: "series", series: out };
}
