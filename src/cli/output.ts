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
