// The deployment package: what Lambda's nodejs24.x runtime would load, exercised for real.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildRotationFunctionZip, type RotationFunctionZip } from '../src/build.ts';
import type { RotationEvent } from '../src/handler.ts';
import { createSecret, rotate, secretValue, uniqueName } from './support/aws.ts';
import { mariadbHarness, postgresHarness } from './support/databases.ts';
import { captureLogs, type CapturedLogs } from './support/logs.ts';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

describe('rotation function bundle', () => {
  let pkg: RotationFunctionZip;
  let dir: string;
  let bundledHandler: (event: RotationEvent) => Promise<void>;
  let logs: CapturedLogs;
  const harnesses = [postgresHarness(), mariadbHarness()];

  beforeAll(async () => {
    pkg = await buildRotationFunctionZip();
    dir = mkdtempSync(join(tmpdir(), 'rotation-fn-bundle-'));
    const files = unzipSync(pkg.zip);
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    // Loaded the way the runtime loads index.mjs: a plain ES module from a directory with no node_modules.
    const mod = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: typeof bundledHandler };
    bundledHandler = mod.handler;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(async () => {
    logs.restore();
    for (const h of harnesses) await h.cleanup();
  });

  it('When the zip is built, then it holds only index.mjs at the root, exporting handler, importing nothing but node:module', () => {
    // Act
    const files = unzipSync(pkg.zip);

    // Assert
    expect(Object.keys(files)).toEqual(['index.mjs']);
    expect(pkg).toMatchObject({ handler: 'index.handler', runtime: 'nodejs24.x' });
    expect(typeof bundledHandler).toBe('function');
    // esbuild puts every remaining ES import at the top: only the createRequire banner may be there.
    const source = new TextDecoder().decode(files['index.mjs']);
    const head = source.split('\n').slice(0, 3).join('\n');
    expect(head).toMatch(/^import \{ createRequire as __rcCreateRequire \} from 'node:module';\nconst require = __rcCreateRequire\(import\.meta\.url\);\n/);
    expect(source.split('\n')[2]).not.toMatch(/^\s*import\b/);
  });

  it.each(['PostgreSQL', 'MariaDB'])(
    'When the bundled handler rotates a %s user (single user), then the new password works and the old one is refused',
    async (label) => {
      // Arrange
      const db = harnesses.find((h) => h.label === label) ?? harnesses[0]!;
      const username = db.newUsername();
      const password = db.newPassword();
      await db.createUser(username, password);
      const secret = await createSecret(uniqueName('bundle'), JSON.stringify(db.secretFor(username, password)));

      // Act
      await rotate(secret.arn, { ROTATION_STRATEGY: 'single-user' }, bundledHandler);

      // Assert
      const current = String((await secretValue(secret.arn)).password);
      expect(await db.canLogin(username, current)).toBe(true);
      expect(await db.canLogin(username, password)).toBe(false);
    },
  );

  it.each(['PostgreSQL', 'MariaDB'])('When the bundled handler rotates %s alternating users, then the clone is created and both users work', async (label) => {
    // Arrange
    const db = harnesses.find((h) => h.label === label) ?? harnesses[0]!;
    const masterName = db.newUsername();
    const masterPassword = db.newPassword();
    await db.createUser(masterName, masterPassword, { master: true });
    const master = await createSecret(uniqueName('bundle-master'), JSON.stringify(db.secretFor(masterName, masterPassword)));
    const username = db.newUsername();
    const password = db.newPassword();
    await db.createUser(username, password);
    await db.grantProbe(username);
    const secret = await createSecret(uniqueName('bundle-multi'), JSON.stringify(db.secretFor(username, password, { masterarn: master.arn })));

    // Act
    await rotate(secret.arn, { ROTATION_STRATEGY: 'alternating-users' }, bundledHandler);

    // Assert
    const current = await secretValue(secret.arn);
    expect(current.username).toBe(`${username}_clone`);
    expect(await db.canReadProbe(`${username}_clone`, String(current.password), username)).toBe(true);
    expect(await db.canReadProbe(username, password, username)).toBe(true);
  });

  it('When the build script runs, then it writes dist/rotation-function.zip', () => {
    // Act
    const result = spawnSync(process.execPath, ['scripts/build.ts'], { cwd: packageRoot, encoding: 'utf8' });

    // Assert
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('rotation-function.zip');
    const zip = readFileSync(join(packageRoot, 'dist', 'rotation-function.zip'));
    expect(Object.keys(unzipSync(zip))).toEqual(['index.mjs']);
  });
});
