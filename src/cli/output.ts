/** Where the CLI writes: JSON for automation (`--json`) or one readable text per result. */
export type Output = {
  result(json: boolean, data: unknown, human: () => string): void;
  error(message: string): void;
};

export function createOutput(streams: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr }): Output {
  return {
    result(json, data, human) {
      streams.out.write(`${json ? JSON.stringify(data) : human()}\n`);
    },
    error(message) {
      streams.err.write(`${message}\n`);
    },
  };
}

/** Rows under a header, columns padded to their widest cell and two spaces apart (no trailing spaces). */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
