// A small reader for nginx.conf text, so tests assert on directives and blocks
// rather than on regexes over the whole file. Handles what renderEdgeConfig
// writes: directives, nested blocks, quoted strings, comments.

export interface Directive {
  name: string;
  args: string[];
  /** Present for block directives (http, server, location, upstream, map, events). */
  block?: Directive[];
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "#") { while (i < text.length && text[i] !== "\n") i++; continue; }
    if (c === "{" || c === "}" || c === ";") { tokens.push(c); i++; continue; }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== c) {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) throw new Error(`nginx.conf: unterminated ${c} string`);
      tokens.push(value);
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s{};]/.test(text[j]!)) j++;
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

export function parseNginxConf(text: string): Directive[] {
  const tokens = tokenize(text);
  let pos = 0;
  const parseBlock = (nested: boolean): Directive[] => {
    const out: Directive[] = [];
    let words: string[] = [];
    while (pos < tokens.length) {
      const token = tokens[pos++]!;
      if (token === ";") {
        const [name, ...args] = words;
        if (name === undefined) throw new Error("nginx.conf: empty directive");
        out.push({ name, args });
        words = [];
      } else if (token === "{") {
        const [name, ...args] = words;
        if (name === undefined) throw new Error("nginx.conf: block without a name");
        out.push({ name, args, block: parseBlock(true) });
        words = [];
      } else if (token === "}") {
        if (!nested) throw new Error("nginx.conf: unbalanced }");
        if (words.length > 0) throw new Error(`nginx.conf: missing ; after ${words.join(" ")}`);
        return out;
      } else {
        words.push(token);
      }
    }
    if (nested) throw new Error("nginx.conf: missing }");
    if (words.length > 0) throw new Error(`nginx.conf: missing ; after ${words.join(" ")}`);
    return out;
  };
  return parseBlock(false);
}

export function all(directives: Directive[] | undefined, name: string): Directive[] {
  return (directives ?? []).filter((d) => d.name === name);
}

export function one(directives: Directive[] | undefined, name: string, ...args: string[]): Directive {
  const found = all(directives, name).filter((d) => args.every((a, i) => d.args[i] === a));
  if (found.length !== 1) throw new Error(`expected one "${[name, ...args].join(" ")}", found ${found.length}`);
  return found[0]!;
}

/** Argument lists of every `name` directive directly in `directives`. */
export function argsOf(directives: Directive[] | undefined, name: string): string[][] {
  return all(directives, name).map((d) => d.args);
}

/** proxy_set_header values by header name. */
export function proxyHeaders(location: Directive): Map<string, string> {
  return new Map(argsOf(location.block, "proxy_set_header").map(([header = "", value = ""]) => [header.toLowerCase(), value]));
}

/** Seconds in an nginx time like 3600s, 1h, 90m, 500ms (rounded down). */
export function seconds(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value);
  if (!match) throw new Error(`not an nginx time: ${value}`);
  const n = Number(match[1]);
  const unit = match[2] ?? "s";
  return unit === "ms" ? Math.floor(n / 1000) : n * { s: 1, m: 60, h: 3600, d: 86400 }[unit as "s" | "m" | "h" | "d"];
}
