/**
 * A process's figures from /proc (Linux), for the game benchmarks: CPU
 * seconds (user + system), resident memory, and when it started (the origin
 * of its `--cpu-prof` profile).
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
}

/** utime + stime, in seconds. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuSplit(pid);
  return user + system;
}

/** User and system (kernel: syscalls, the loopback TCP path) CPU, in seconds. */
export function cpuSplit(pid: number): { user: number; system: number } {
  const fields = statFields(pid);
  return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Epoch ms at which the process started. */
export function startedAtMs(pid: number): number {
  const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]);
  return (bootSeconds + Number(statFields(pid)[19]) / TICKS_PER_SECOND) * 1000;
}
