/** Reads a positive integer from the environment, or `fallback` when the variable is unset or empty. */
export function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name}="${raw}" is invalid; expected a positive integer`);
  return value;
}
