export type DiffRow = { caminho: string; antes: string | undefined; depois: string | undefined; mudou: boolean };

/** Leaves of a JSON value by path (`headers[0].nome`), each rendered as compact JSON. */
export function flatten(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [`${path}[${i}]`, v]) : Object.entries(value).map(([k, v]) => [path ? `${path}.${k}` : k, v]);
    if (entries.length === 0) out.set(path || '(valor)', Array.isArray(value) ? '[]' : '{}');
    for (const [childPath, child] of entries) flatten(child, childPath, out);
    return out;
  }
  out.set(path || '(valor)', value === undefined ? 'undefined' : JSON.stringify(value));
  return out;
}

/** Before/after as rows: every path of either side, marked when it changed. */
export function diffRows(antes: unknown, depois: unknown): DiffRow[] {
  const before = antes === null || antes === undefined ? new Map<string, string>() : flatten(antes);
  const after = depois === null || depois === undefined ? new Map<string, string>() : flatten(depois);
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  return paths.map((caminho) => ({ caminho, antes: before.get(caminho), depois: after.get(caminho), mudou: before.get(caminho) !== after.get(caminho) }));
}
