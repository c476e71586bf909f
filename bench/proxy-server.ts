import Fastify from 'fastify';
import { Pool } from 'undici';

/**
 * The bare Node proxy of docs/DESEMPENHO.md ("Fastify 5 + undici `Pool.request`"): one route that
 * forwards the JSON body it gets to the operator's `/login` through a keep-alive undici pool, adding
 * the headers Ponte adds (grupo + static, `BENCH_UPSTREAM_HEADERS`), and relays the answer. No
 * validation, no session, no log, no logging: the floor for the same call made from Node.
 */
const upstream = process.env.BENCH_UPSTREAM ?? '';
const added = JSON.parse(process.env.BENCH_UPSTREAM_HEADERS ?? '{}') as Record<string, string>;
const port = Number(process.env.PORT ?? 0);

// As many connections as Ponte's per-operator bulkhead allows by default (PONTE_OUTBOUND_MAX_CONCURRENCY).
const pool = new Pool(upstream, { connections: 32, keepAliveTimeout: 10_000 });
const headers = { ...added, 'content-type': 'application/json', accept: 'application/json' };

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.post('/login', async (request, reply) => {
  const answer = await pool.request({ path: '/login', method: 'POST', headers, body: JSON.stringify(request.body) });
  const text = await answer.body.text();
  return reply.code(answer.statusCode).type('application/json').send(text);
});

await app.listen({ port, host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => pool.close()).then(() => process.exit(0)));
}
