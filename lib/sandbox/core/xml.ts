/** Minimal XML writing for awsQuery responses (element names are trusted, text is escaped). */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) =>
    character === "<"
      ? "&lt;"
      : character === ">"
        ? "&gt;"
        : character === "&"
          ? "&amp;"
          : character === "'"
            ? "&apos;"
            : "&quot;",
  );
}

export function element(name: string, content: string | number | undefined): string {
  if (content === undefined) return "";
  return `<${name}>${typeof content === "number" ? String(content) : content}</${name}>`;
}

export function textElement(name: string, text: string | undefined): string {
  return text === undefined ? "" : `<${name}>${escapeXml(text)}</${name}>`;
}

export function memberList(name: string, items: string[]): string {
  return `<${name}>${items.map((item) => `<member>${item}</member>`).join("")}</${name}>`;
}
