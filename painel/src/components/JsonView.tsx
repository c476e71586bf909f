import { Box, Code, ScrollArea, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { corDeTexto } from '../theme.ts';

/** A problem to point at: `caminho` in the validator's notation (`contatos[2].tipo`, `$` = whole body). */
export type JsonMark = { caminho: string; mensagem: string };

type Line = { path: string; depth: number; content: ReactNode };

// Readable in both schemes, also over a violation's red tint (WCAG AA).
const colors = { key: corDeTexto('indigo', 2), string: corDeTexto('teal', 2), number: corDeTexto('orange', 2), literal: corDeTexto('violet', 2), nota: corDeTexto('red', 2) };

function scalar(value: unknown): ReactNode {
  if (typeof value === 'string') return <span style={{ color: colors.string }}>{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span style={{ color: colors.number }}>{String(value)}</span>;
  return <span style={{ color: colors.literal }}>{JSON.stringify(value) ?? 'undefined'}</span>;
}

const keyLabel = (key: string | undefined) => (key === undefined ? null : <span style={{ color: colors.key }}>{JSON.stringify(key)}</span>);

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Pretty-prints `value` line by line, each line knowing the JSON path it shows. */
function toLines(value: unknown, path: string, depth: number, key: string | undefined, comma: boolean, out: Line[]): void {
  const prefix = key === undefined ? null : (
    <>
      {keyLabel(key)}
      {': '}
    </>
  );
  const tail = comma ? ',' : '';
  if (value !== null && typeof value === 'object') {
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      out.push({ path, depth, content: <>{prefix}{open}{close}{tail}</> });
      return;
    }
    out.push({ path, depth, content: <>{prefix}{open}</> });
    entries.forEach(([childKey, child], index) =>
      toLines(child, childPath(path, childKey), depth + 1, typeof childKey === 'string' ? childKey : undefined, index < entries.length - 1, out),
    );
    out.push({ path, depth, content: <>{close}{tail}</> });
    return;
  }
  out.push({ path, depth, content: <>{prefix}{scalar(value)}{tail}</> });
}

const parentOf = (path: string) => path.replace(/(\.[^.[\]]+|\[\d+\])$/, '').replace(/^[^.[\]]+$/, '');

/**
 * JSON, pretty-printed, with the lines that a violation names highlighted and annotated. A missing
 * attribute is pointed at on the object that should have held it.
 */
export function JsonView({ value, text, marks = [], maxHeight = 420, label }: { value?: unknown; text?: string | null; marks?: JsonMark[]; maxHeight?: number; label?: string }) {
  let data: unknown = value;
  let raw: string | null = null;
  if (text !== undefined) {
    if (text === null || text === '') raw = text === null ? '(sem corpo)' : '(corpo vazio)';
    else {
      try {
        data = JSON.parse(text);
      } catch {
        raw = text;
      }
    }
  }
  if (raw !== null) {
    return (
      <ScrollArea.Autosize mah={maxHeight} type="auto" aria-label={label} viewportProps={{ tabIndex: 0 }}>
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {raw}
        </Code>
      </ScrollArea.Autosize>
    );
  }

  const lines: Line[] = [];
  toLines(data, '', 0, undefined, false, lines);
  const existing = new Set(lines.map((line) => line.path));
  const notes = new Map<string, string[]>();
  for (const mark of marks) {
    let target = mark.caminho === '$' ? '' : mark.caminho;
    while (target && !existing.has(target)) target = parentOf(target);
    notes.set(target, [...(notes.get(target) ?? []), mark.caminho === target || mark.caminho === '$' ? mark.mensagem : `${mark.caminho}: ${mark.mensagem}`]);
  }
  const annotated = new Set<string>();

  return (
    <ScrollArea.Autosize mah={maxHeight} type="auto" aria-label={label} viewportProps={{ tabIndex: 0 }}>
      <Box component="pre" m={0} p="sm" fz="xs" ff="monospace" bg="var(--mantine-color-default-hover)" style={{ borderRadius: 'var(--mantine-radius-sm)', lineHeight: 1.55 }}>
        {lines.map((line, index) => {
          const note = notes.get(line.path);
          // An object spans two lines: annotate its first one only.
          const first = note && !annotated.has(line.path);
          if (first) annotated.add(line.path);
          return (
            <div
              key={index}
              style={
                note
                  ? { background: 'var(--mantine-color-red-light)', boxShadow: 'inset 3px 0 0 var(--mantine-color-red-6)', marginInline: 'calc(var(--mantine-spacing-sm) * -1)', paddingInline: 'var(--mantine-spacing-sm)' }
                  : undefined
              }
              data-violacao={note ? 'true' : undefined}
            >
              {'  '.repeat(line.depth)}
              {line.content}
              {first ? (
                <Text span c={colors.nota} fz="xs" fs="italic" ml="md">
                  ← {note.join(' · ')}
                </Text>
              ) : null}
            </div>
          );
        })}
      </Box>
    </ScrollArea.Autosize>
  );
}
