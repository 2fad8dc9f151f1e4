import { crc32 } from 'node:zlib';
import { CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import type { Workflow } from '@rotation-console/contracts';
import { DEMO_FUNCTIONS, DEMO_VPC_NAME } from '@rotation-console/harness/seed.ts';
import { createPostgresLogin, dropPostgresLogins } from '@rotation-console/harness/postgres-logins.ts';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { aws } from './support.ts';

/** A real PostgreSQL login on the local server, and a secret for it in moto. */
export const createDatabaseUserSecret = async (name: string, extra: Record<string, unknown> = {}, options: { master?: boolean } = {}) => {
  const login = await createPostgresLogin(options);
  const out = await aws().secretsManager.send(
    new CreateSecretCommand({ Name: name, SecretString: login.secretString(extra), Tags: [{ Key: 'team', Value: 'payments' }] }),
  );
  return { arn: out.ARN!, name, username: login.username, password: login.password };
};

export const dropDatabaseUsers = dropPostgresLogins;

/**
 * A secret whose value has the fields a PostgreSQL rotation function takes, for plans and batches
 * that do not rotate at once (no real login behind it), of `team`.
 */
export const createFormattedSecret = async (name: string, team = 'payments') => {
  const out = await aws().secretsManager.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: JSON.stringify({
        engine: 'postgres',
        host: '127.0.0.1',
        port: 5432,
        username: `u_${name.replace(/\W/g, '_').slice(-40)}`,
        password: 'not-a-real-one-1',
        dbname: 'test',
      }),
      Tags: [{ Key: 'team', Value: team }],
    }),
  );
  return out.ARN!;
};

/** The demo VPC the seed made: its private subnets and the rotation functions' security group. */
export const demoNetwork = async () => {
  const ec2 = aws().ec2;
  const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: [DEMO_VPC_NAME] }] }))).Vpcs![0]!.VpcId!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets!.map((s) => s.SubnetId!);
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [`${DEMO_VPC_NAME}-rotation-lambda`] },
      ],
    }),
  );
  return { vpcId, subnetIds: subnets.slice(0, 2), securityGroupIds: [groups.SecurityGroups![0]!.GroupId!] };
};

/** Polls GET /workflows/{id} until it is finished. */
export const waitForWorkflow = async (app: App, id: string, timeoutMs = 60_000): Promise<Workflow> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(app).get(`/api/v1/workflows/${id}`);
    if (res.status === 200 && ['succeeded', 'failed', 'cancelled'].includes(res.body.status)) return res.body as Workflow;
    if (Date.now() > deadline)
      throw new Error(
        `workflow ${id} still ${res.body.status} after ${timeoutMs} ms: ${JSON.stringify(res.body.steps?.map((s: { id: string; status: string }) => `${s.id}:${s.status}`))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** A zip archive of one file, stored without compression (all a Lambda deployment package needs). */
export const storedZip = (fileName: string, content: string): Uint8Array => {
  const name = Buffer.from(fileName);
  const data = Buffer.from(content);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
};

/** A Node.js function with the given index.mjs, under the demo functions' role (the seed must have run). */
export const createFunctionFromSource = async (name: string, source: string) => {
  const role = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[0] }))).Configuration!.Role!;
  const fn = await aws().lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs24.x',
      Role: role,
      Handler: 'index.handler',
      Code: { ZipFile: storedZip('index.mjs', source) },
    }),
  );
  return fn.FunctionArn!;
};
