import { z } from 'zod';

/**
 * Settings read from the environment, in one place for the engine, the node agent and the
 * CLI. `deploy/README.md` documents each of them.
 */
export const SettingsSchema = z.object({
  /** NATS server URL; when unset, commands that need NATS start a local nats-server. */
  NATS_URL: z.string().regex(/^(nats|tls|ws|wss):\/\/\S+$/, { message: 'expected a URL such as nats://127.0.0.1:4222' }).optional(),
  /** Folder for LMDB files and, for a local server, the JetStream store. */
  SWITCHYARD_DATA_DIR: z.string().min(1).default('.switchyard'),
  /** Rule set file (YAML or JSON); the built-in default rule set when unset. */
  SWITCHYARD_RULES: z.string().min(1).optional(),
  /** pino log level. */
  SWITCHYARD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Node id of an embedded or stand-alone node agent. */
  SWITCHYARD_NODE_ID: z.string().optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Reads and validates the settings; an invalid value raises an error naming the variable. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const picked = Object.fromEntries(Object.keys(SettingsSchema.shape).flatMap((name) => (env[name] === undefined || env[name] === '' ? [] : [[name, env[name]]])));
  const parsed = SettingsSchema.safeParse(picked);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}=${JSON.stringify(picked[String(issue.path[0])])}: ${issue.message}`);
  throw new Error(`invalid environment: ${problems.join('; ')}`);
}
