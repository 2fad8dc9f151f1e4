// Starts what the integration tests need and stops it afterwards:
//  - a moto server of its own on a free port (Secrets Manager, Lambda, IAM, S3, CloudFormation);
//  - a private PostgreSQL cluster with scram-sha-256 authentication on a free port,
//    because the machine's shared PostgreSQL uses `trust` and would accept any password,
//    which would make "the old password no longer works" impossible to check;
//  - a check that the shared MariaDB answers (it does enforce passwords).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { TestProject } from 'vitest/node';

export interface PgTarget {
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
  database: string;
  logFile: string;
}

export interface MysqlTarget {
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
  database: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
    pg: PgTarget;
    mysql: MysqlTarget;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

async function startMoto(): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  let exited = false;
  child.on('exit', () => (exited = true));
  await waitFor(
    'moto_server',
    async () => {
      if (exited) throw new Error('moto_server exited');
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      return res.ok;
    },
    30_000,
  );
  return { endpoint, child };
}

function pgBinDir(): string {
  if (process.env.ROTATION_TEST_PG_BIN) return process.env.ROTATION_TEST_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql (set ROTATION_TEST_PG_BIN)');
  return join(root, versions[0], 'bin');
}

interface PrivatePostgres {
  target: PgTarget;
  stop(): void;
}

function startPrivatePostgres(port: number): PrivatePostgres {
  const bin = pgBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'rotation-fn-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const pwFile = join(dir, 'pw');
  const adminPassword = randomBytes(12).toString('hex');
  writeFileSync(pwFile, `${adminPassword}\n`);

  // PostgreSQL refuses to run as root: use the `postgres` account then.
  const asRoot = process.getuid?.() === 0;
  let runAs: string[] = [];
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    const uid = Number(id.stdout.trim());
    chownSync(dir, uid, Number(gid.stdout.trim()));
    chownSync(pwFile, uid, Number(gid.stdout.trim()));
    runAs = ['runuser', '-u', 'postgres', '--'];
  }
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...runAs, ...args];
    const out = spawnSync(cmd as string, rest, { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`${args[0]} failed: ${out.stderr || out.stdout}`);
  };
  run([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--no-sync']);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    // Every DDL statement goes to the log, so tests can check no password ever reaches it.
    '-c log_statement=ddl',
  ].join(' ');
  run([join(bin, 'pg_ctl'), '-D', data, '-o', options, '-l', logFile, '-w', 'start']);
  return {
    target: { host: '127.0.0.1', port, adminUser: 'postgres', adminPassword, database: 'postgres', logFile },
    stop() {
      try {
        run([join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function checkMysql(target: MysqlTarget): Promise<void> {
  const conn = await mysql.createConnection({
    host: target.host,
    port: target.port,
    user: target.adminUser,
    password: target.adminPassword,
    database: target.database,
    connectTimeout: 5000,
  });
  await conn.query('SELECT 1');
  await conn.end();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  const pg = startPrivatePostgres(await freePort());
  const mysqlTarget: MysqlTarget = {
    host: process.env.ROTATION_TEST_MYSQL_HOST ?? '127.0.0.1',
    port: Number(process.env.ROTATION_TEST_MYSQL_PORT ?? 3306),
    adminUser: process.env.ROTATION_TEST_MYSQL_USER ?? 'root',
    adminPassword: process.env.ROTATION_TEST_MYSQL_PASSWORD ?? '',
    database: process.env.ROTATION_TEST_MYSQL_DATABASE ?? 'test',
  };
  try {
    await checkMysql(mysqlTarget);
  } catch (error) {
    moto.child.kill('SIGTERM');
    pg.stop();
    throw new Error(`MariaDB/MySQL is not reachable at ${mysqlTarget.host}:${mysqlTarget.port}: ${(error as Error).message}`, { cause: error });
  }

  // The endpoint reaches the workers through provide/inject (setup-env.ts sets AWS_ENDPOINT_URL
  // there). This process's environment is left alone: in the workspace-wide `vitest run` every
  // project's global setup shares it, and another project's moto must not be overridden.
  project.provide('motoEndpoint', moto.endpoint);
  project.provide('pg', pg.target);
  project.provide('mysql', mysqlTarget);

  return async () => {
    moto.child.kill('SIGTERM');
    pg.stop();
  };
}
