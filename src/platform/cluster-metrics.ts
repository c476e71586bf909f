import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * `/metrics` under `ponte serve --workers N`: the port hands each scrape to one worker, whose own
 * counters are 1/N of the node's. That worker asks the primary, which gathers every worker's
 * registry over the cluster's IPC channel (prom-client's `AggregatorRegistry`: counters and
 * histograms summed, process gauges per its aggregators) and answers with the whole node.
 */

const REQUEST = 'ponte:metricas:pedido';
const ANSWER = 'ponte:metricas:resposta';

type Request = { type: typeof REQUEST; id: number };
type Answer = { type: typeof ANSWER; id: number; text?: string; error?: string };

const isRequest = (message: unknown): message is Request => (message as Request | null)?.type === REQUEST;
const isAnswer = (message: unknown): message is Answer => (message as Answer | null)?.type === ANSWER;

/** In the primary: answers each worker's request with the metrics of all workers. */
export function answerClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isRequest(message)) return;
    aggregator.clusterMetrics().then(
      (text) => ({ text }),
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
    ).then((answer) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...answer } satisfies Answer);
    });
  });
}

/**
 * In a worker: a source of `/metrics` text for the whole node. When the primary does not answer
 * within `timeoutMs` (a worker stuck, the primary busy), the scrape still gets this worker's own
 * metrics, marked by a comment line, rather than an error.
 */
export function clusterMetricsSource(registry: Registry, timeoutMs: number): () => Promise<string> {
  // Constructing one installs prom-client's worker side: it answers the primary with `registry`.
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
  const waiting = new Map<number, (answer: Answer | undefined) => void>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (isAnswer(message)) waiting.get(message.id)?.(message);
  });

  return async () => {
    const id = nextId++;
    const answer = await new Promise<Answer | undefined>((resolve) => {
      const timer = setTimeout(() => settle(undefined), timeoutMs);
      const settle = (value: Answer | undefined) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(value);
      };
      waiting.set(id, settle);
      if (!process.send) return settle(undefined);
      process.send({ type: REQUEST, id } satisfies Request, undefined, {}, (error: Error | null) => {
        if (error) settle(undefined);
      });
    });
    if (answer?.text !== undefined) return answer.text;
    const reason = answer?.error ?? `o processo primário não respondeu em ${timeoutMs} ms`;
    return `# ponte: métricas somente do processo de trabalho ${cluster.worker?.id ?? '?'} (${reason})\n${await registry.metrics()}`;
  };
}
