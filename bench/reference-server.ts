import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/**
 * The bare reference: Fastify 5, no plugins, no logging, one route answering a fixed JSON read
 * from `BENCH_BODY_FILE` (a real temp-authorization answer, so both move the same bytes). The
 * object is serialized per request, as Ponte's route does, not sent as a prebuilt string.
 */
const body: unknown = JSON.parse(readFileSync(process.env.BENCH_BODY_FILE ?? '', 'utf8'));
const port = Number(process.env.PORT ?? 0);

const app = Fastify({ logger: false });
// The request is the temp-authorization one (JSON content type, empty body): accept an empty
// body as Ponte does, instead of answering 400.
app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, raw, done) => {
  try {
    done(null, raw === '' ? undefined : JSON.parse(raw as string));
  } catch (error) {
    done(error as Error, undefined);
  }
});
app.get('/healthz', async () => ({ status: 'ok' }));
app.route({ method: ['GET', 'POST'], url: '/fixed-json', handler: async () => body });

await app.listen({ port, host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
