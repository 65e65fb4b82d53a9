/**
 * awsQuery requests flatten structures into form fields ("MetricDataQueries.member.1.Id"). This turns
 * them back into the JSON shape the JSON protocol sends, so one model serves both.
 */
export function unflattenForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(".");
    let cursor: Record<string, unknown> | unknown[] = root;
    for (let index = 0; index < path.length; index++) {
      const segment = path[index] as string;
      const last = index === path.length - 1;
      if (segment === "member" && index + 1 < path.length && /^\d+$/.test(path[index + 1] as string)) {
        continue; // "member" marks the list; the next segment is the 1-based index
      }
      const isListIndex = /^\d+$/.test(segment) && path[index - 1] === "member";
      const nextIsList = path[index + 1] === "member";
      if (isListIndex) {
        const list = cursor as unknown as unknown[];
        const position = Number(segment) - 1;
        if (last) list[position] = value;
        else {
          list[position] ??= path[index + 1] === "member" ? [] : {};
          cursor = list[position] as Record<string, unknown>;
        }
        continue;
      }
      const object = cursor as Record<string, unknown>;
      if (last) object[segment] = value;
      else {
        object[segment] ??= nextIsList ? [] : {};
        cursor = object[segment] as Record<string, unknown>;
      }
    }
  }
  return compactLists(root) as Record<string, unknown>;
}

function compactLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compactLists);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, compactLists(inner)]));
  }
  return value;
}
