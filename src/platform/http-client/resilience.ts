import type { Clock } from '../clock.ts';

/**
 * Per-operator isolation (docs/ESPECIFICACAO.md §7): a bulkhead caps the calls in flight to one operator origin and
 * a circuit breaker stops calling an origin that keeps failing, so one slow or broken operator
 * cannot use up what the others need.
 */

export type BreakerState = 'fechado' | 'aberto' | 'meio_aberto';

export type CircuitBreakerOptions = {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  openMs: number;
};

export function createCircuitBreaker(options: CircuitBreakerOptions, clock: Clock) {
  let state: BreakerState = 'fechado';
  let consecutiveFailures = 0;
  let openedAt = 0;
  let probeInFlight = false;

  return {
    get state(): BreakerState {
      if (state === 'aberto' && clock.now() - openedAt >= options.openMs) return 'meio_aberto';
      return state;
    },
    /** Whether a call may go out now; in half-open state only one probe at a time. */
    tryAcquire(): boolean {
      const current = this.state;
      if (current === 'fechado') return true;
      if (current === 'aberto' || probeInFlight) return false;
      probeInFlight = true;
      state = 'meio_aberto';
      return true;
    },
    recordSuccess(): void {
      consecutiveFailures = 0;
      probeInFlight = false;
      state = 'fechado';
    },
    recordFailure(): void {
      probeInFlight = false;
      consecutiveFailures += 1;
      if (state === 'meio_aberto' || consecutiveFailures >= options.failureThreshold) {
        state = 'aberto';
        openedAt = clock.now();
      }
    },
    /** Ends a call that proved nothing about the operator's health (e.g. refused before sending). */
    release(): void {
      probeInFlight = false;
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;

/**
 * A counting semaphore with a bounded queue. `acquire` resolves with a release function, or with
 * null when the queue is full or the wait exceeds `maxWaitMs`.
 */
export function createBulkhead(options: { maxConcurrent: number; maxQueued: number }) {
  let inFlight = 0;
  const waiting: { grant: () => void }[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next.grant();
    else inFlight -= 1;
  };

  return {
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return waiting.length;
    },
    async acquire(maxWaitMs: number): Promise<(() => void) | null> {
      if (inFlight < options.maxConcurrent) {
        inFlight += 1;
        return once(release);
      }
      if (waiting.length >= options.maxQueued) return null;
      return new Promise((resolve) => {
        const entry = {
          grant: () => {
            clearTimeout(timer);
            resolve(once(release));
          },
        };
        const timer = setTimeout(() => {
          const index = waiting.indexOf(entry);
          if (index >= 0) waiting.splice(index, 1);
          resolve(null);
        }, maxWaitMs);
        waiting.push(entry);
      });
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
