import { readFileSync } from 'node:fs';

/**
 * The benchmark shares the machine with whatever else runs (test suites, editors). These read
 * /proc/stat so the harness can wait for a quiet machine and say how much other work landed on
 * the server's core during a measurement, instead of silently reporting disturbed numbers.
 */
export type CpuTimes = { busy: number; total: number };

/** Ticks per CPU line of /proc/stat (`cpu` is the sum; `cpu0`, `cpu1`… each core). */
export function readCpuTimes(): Map<string, CpuTimes & { userSystem: number }> {
  const times = new Map<string, CpuTimes & { userSystem: number }>();
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [name, ...rest] = line.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = rest.map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    times.set(name as string, { busy: total - idle - iowait, total, userSystem: user + nice + system });
  }
  return times;
}

/** Share (0–1) of all CPUs busy over `sampleMs`. */
export async function machineBusy(sampleMs = 1000): Promise<number> {
  const before = readCpuTimes().get('cpu');
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  const after = readCpuTimes().get('cpu');
  if (!before || !after || after.total === before.total) return 0;
  return (after.busy - before.busy) / (after.total - before.total);
}

/**
 * Waits until the machine is below `threshold` busy (sampled each second), at most `timeoutMs`.
 * Returns the last busy share seen; the caller proceeds either way and reports it.
 */
export async function waitForQuiet(threshold: number, timeoutMs: number, onWait: (busy: number) => void): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let busy = await machineBusy();
  let told = false;
  while (busy > threshold && Date.now() < deadline) {
    if (!told) onWait(busy);
    told = true;
    busy = await machineBusy();
  }
  return busy;
}
