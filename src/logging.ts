import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Creates the structured logger: a fixed message plus ids as fields. The level comes from
 * `SWITCHYARD_LOG_LEVEL` (default `info`); logs go to stderr so stdout stays for output.
 */
export function createLogger(name: string, level = process.env.SWITCHYARD_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}

/** Creates a logger that drops everything, for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
