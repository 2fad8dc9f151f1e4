import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const APP = new URL('../../src/app.ts', import.meta.url).href;

/** The @aws-sdk/client-* packages a fresh Node process holds after running `script`, by name. */
const sdkPackagesAfter = (script: string): string[] => {
  const program = `
    import { createRequire } from 'node:module';
    ${script}
    const names = Object.keys(createRequire(import.meta.url).cache).map((file) => /@aws-sdk[\\\\/](client-[a-z0-9-]+)[\\\\/]/.exec(file)?.[1]);
    console.log(JSON.stringify([...new Set(names.filter(Boolean))].sort()));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', cwd: new URL('../..', import.meta.url) });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
};

describe('Which AWS SDK packages the API holds in memory', () => {
  it('When the API has loaded and only the dashboard is used, then only Secrets Manager and STS are loaded (EC2 alone would add about 67 MB)', () => {
    expect(sdkPackagesAfter(`await import(${JSON.stringify(APP)});`)).toEqual(['client-secrets-manager', 'client-sts']);
  });

  it('When a wizard call first needs an EC2 client, then its package loads then', () => {
    const script = `
      const { createAwsClientFactory } = await import(${JSON.stringify(new URL('../../src/platform/aws.ts', import.meta.url).href)});
      const aws = createAwsClientFactory({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', timeoutMs: 1000, maxAttempts: 1 });
      if (aws.forRegion().ec2.config.serviceId !== 'EC2') throw new Error('not an EC2 client');`;
    expect(sdkPackagesAfter(script)).toEqual(['client-ec2', 'client-secrets-manager', 'client-sts']);
  });
});
