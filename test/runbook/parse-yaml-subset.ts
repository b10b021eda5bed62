// The subset of YAML our compose file is written in, read without a YAML
// dependency: block mappings and sequences by indentation, plain, quoted and
// JSON-style flow scalars, comments. Anything else (anchors, multi-line
// strings, mappings inside sequences) is refused by name, so the file stays
// in the subset or the parser grows with it.

/** A value of the subset. */
export type YamlValue = string | readonly YamlValue[] | { readonly [key: string]: YamlValue } | null;

interface Line {
  readonly indent: number;
  readonly text: string;
  readonly number: number;
}

/** Drops a comment: `#` at the start or after a space, outside quotes. */
function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || s[i - 1] === ' ')) {
      return s.slice(0, i);
    }
  }
  return s;
}

/** A scalar or a flow sequence. */
function scalar(text: string, line: number): YamlValue {
  const t = text.trim();
  if (/^[&*!|>]/.test(t)) throw new Error(`line ${line}: "${t}": anchors, tags and multi-line strings are outside the subset`);
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      return JSON.parse(t) as YamlValue;
    } catch {
      throw new Error(`line ${line}: "${t}": only JSON-style flow collections are in the subset`);
    }
  }
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  return t === '' || t === '~' || t === 'null' ? null : t;
}

/** Parses YAML text in the subset; throws with a line number on anything outside it. */
export function parseYamlSubset(text: string): YamlValue {
  const lines: Line[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.includes('\t')) throw new Error(`line ${i + 1}: tab in indentation`);
    const body = stripComment(raw).trimEnd();
    if (body.trim() === '' || body.trim() === '---') return;
    lines.push({ indent: body.length - body.trimStart().length, text: body.trim(), number: i + 1 });
  });
  let at = 0;

  const block = (indent: number): YamlValue => {
    const first = lines[at];
    if (first === undefined || first.indent < indent) return null;
    if (first.text === '-' || first.text.startsWith('- ')) {
      const items: YamlValue[] = [];
      while (at < lines.length && lines[at]?.indent === first.indent && (lines[at]?.text.startsWith('- ') === true || lines[at]?.text === '-')) {
        const line = lines[at] as Line;
        const item = line.text.slice(1).trim();
        if (/^[^"'[{][^:]*:(\s|$)/.test(item)) throw new Error(`line ${line.number}: mappings inside sequences are outside the subset`);
        items.push(scalar(item, line.number));
        at++;
      }
      return items;
    }
    const map: Record<string, YamlValue> = {};
    while (at < lines.length && lines[at]?.indent === first.indent) {
      const line = lines[at] as Line;
      const m = /^("[^"]*"|'[^']*'|[^:]+?):(?:\s+(.*))?$/.exec(line.text);
      if (m === null) throw new Error(`line ${line.number}: "${line.text}" is not "key: value"`);
      const key = String(scalar(m[1] ?? '', line.number));
      if (key in map) throw new Error(`line ${line.number}: duplicate key "${key}"`);
      at++;
      const rest = m[2];
      if (rest !== undefined && rest.trim() !== '') {
        map[key] = scalar(rest, line.number);
      } else {
        const next = lines[at];
        map[key] = next !== undefined && next.indent > line.indent ? block(next.indent) : null;
      }
    }
    const stray = lines[at];
    if (stray !== undefined && stray.indent > first.indent) throw new Error(`line ${stray.number}: unexpected indentation`);
    return map;
  };

  const doc = block(0);
  const left = lines[at];
  if (left !== undefined) throw new Error(`line ${left.number}: unexpected indentation`);
  return doc;
}
