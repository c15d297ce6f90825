import { connect, type NatsConnection } from '@nats-io/transport-node';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStreams } from '../../src/transport/streams.ts';
import { startNatsServer, type NatsServerHandle } from '../../src/transport/natsServer.ts';
import { FIXTURES_DIR } from '../publish/fixtures.ts';
import { tempDir } from '../support/tempDir.ts';
import { streamMessageCount } from './streamMessages.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Output and exit code of one `switchyard` run. */
interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `switchyard ARGS` with tsx, with `env` on top of a minimal environment. */
function runCli(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SWITCHYARD_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The CLI as a user runs it: exit codes and what it prints, against a real nats-server without an engine. */
describe('switchyard commands', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureStreams(nc);
    dir = await tempDir('cli');
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('publish names NATS_URL when unset', async () => {
    const result = await runCli(['publish', join(FIXTURES_DIR, 'shopify_orders_export_3_orders.csv')], {});

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: NATS_URL is not set');
  });

  it('publish exits 1 on a broken file', async () => {
    const path = join(dir.path, 'truncated.json');
    const text = await readFile(join(FIXTURES_DIR, 'woocommerce_v3_order_create_response.json'), 'utf8');
    await writeFile(path, text.slice(0, 600));

    const result = await runCli(['publish', path, '--format', 'woocommerce'], { NATS_URL: server.url });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: woocommerce: /);
    expect(await streamMessageCount(nc)).toBe(0);
  });

  it('publish lists formats for an unknown one', async () => {
    const result = await runCli(['publish', join(FIXTURES_DIR, 'shopify_orders_export_3_orders.csv'), '--format', 'magento'], { NATS_URL: server.url });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown format "magento"; expected one of these formats:');
    expect(result.stderr).toContain('  shopify-csv: ');
  });

  it('publish exits 0 with rejections listed', async () => {
    const rejectionsPath = join(dir.path, 'out', 'webhook.rejections.jsonl');

    const result = await runCli(['publish', join(FIXTURES_DIR, 'shopify_webhook_orders_create_test_notification_2019.json'), '--rejections', rejectionsPath], { NATS_URL: server.url });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ records read +│ 1 +│/);
    expect(result.stdout).toMatch(/│ rejected +│ 1 +│/);
    expect(result.stdout).toContain('order 1');
    expect(result.stdout).toContain(`1 rejected records, each with its full reason, are listed in ${rejectionsPath}`);
    const listed = JSON.parse(await readFile(rejectionsPath, 'utf8')) as { recordId: string; reason: string };
    expect(listed.recordId).toBe('order 1');
    expect(listed.reason).toContain('"Shippington" is invalid');
  });

  it('publish creates missing streams', async () => {
    const fresh = await startNatsServer();
    const freshConnection = await connect({ servers: fresh.url });
    try {
      const result = await runCli(['publish', join(FIXTURES_DIR, 'woocommerce_v3_order_create_response.json')], { NATS_URL: fresh.url });

      expect(result.code).toBe(0);
      expect(await streamMessageCount(freshConnection)).toBe(1);
    } finally {
      await freshConnection.close();
      await fresh.stop();
    }
  });

  it('status explains a missing engine', async () => {
    const result = await runCli(['status', '9007199254740993'], { NATS_URL: server.url });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: no engine is subscribed to sy.q.order.9007199254740993');
  });

  it('packing-slip rejects an unknown format', async () => {
    const result = await runCli(['packing-slip', '9007199254740993', '--format', 'pdf'], { NATS_URL: server.url });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"pdf" is not a slip format; expected text or html');
  });
});
