import { CreateChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { buildRotationFunctionZip, readRotationTemplate } from '@rotation-console/rotation-functions';
import type { HarnessClients } from './aws.ts';
import type { InterceptedAnswer } from './aws-proxy.ts';

/**
 * A stand-in for the Serverless Application Repository, which no emulator has: it answers
 * GetApplication and CreateCloudFormationChangeSet for AWS's rotation templates, and makes
 * the change set on the emulator's CloudFormation from the bundled template (under the
 * repository's "serverlessrepo-" stack name), as the real service does with its own.
 * Every request it received is kept for the test to inspect.
 */
export const createFakeServerlessRepo = (aws: HarnessClients, endpoint: string) => {
  const received: { method: string; path: string; authorization: string; body: Record<string, unknown> | null }[] = [];
  const tokens = new Map<string, { changeSetId: string; stackId: string }>();
  const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
  let uploaded = false;

  const intercept = async (request: {
    method: string;
    path: string;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }): Promise<InterceptedAnswer | undefined> => {
    const match = /^\/applications\/([^/?]+)(\/changesets)?/.exec(request.path);
    if (!match) return undefined;
    const applicationId = decodeURIComponent(match[1]!);
    const body = request.body.length ? (JSON.parse(request.body.toString('utf8')) as Record<string, unknown>) : null;
    received.push({ method: request.method, path: request.path, authorization: String(request.headers.authorization ?? ''), body });
    if (!applicationId.startsWith('arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDS')) {
      return { status: 404, body: { errorCode: 'NotFoundException', message: `No application ${applicationId}` } };
    }
    if (!match[2]) return { status: 200, body: { applicationId, name: applicationId.split('/').pop() } };

    const token = String(body?.clientToken ?? '');
    const known = tokens.get(token);
    if (known) return { status: 201, body: { applicationId, ...known } };
    if (!uploaded) {
      await s3.send(new CreateBucketCommand({ Bucket: 'fake-serverlessrepo' })).catch(() => undefined);
      await s3.send(new PutObjectCommand({ Bucket: 'fake-serverlessrepo', Key: 'rotation.zip', Body: (await buildRotationFunctionZip()).zip }));
      uploaded = true;
    }
    const overrides = Object.fromEntries(((body?.parameterOverrides as { name: string; value: string }[]) ?? []).map((p) => [p.name, p.value]));
    const template = applicationId.split('/').pop()!;
    const out = await aws.cloudFormation.send(
      new CreateChangeSetCommand({
        StackName: `serverlessrepo-${String(body?.stackName)}`,
        ChangeSetName: `sar-${token.slice(0, 8)}`,
        ChangeSetType: 'CREATE',
        TemplateBody: await readRotationTemplate(),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: Object.entries({
          ...overrides,
          engine: /MySQL/.test(template) ? 'mysql' : /MariaDB/.test(template) ? 'mariadb' : 'postgres',
          rotationStrategy: /MultiUser/.test(template) ? 'alternating-users' : 'single-user',
          codeS3Bucket: 'fake-serverlessrepo',
          codeS3Key: 'rotation.zip',
        }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      }),
    );
    const created = { changeSetId: out.Id!, stackId: out.StackId! };
    tokens.set(token, created);
    return { status: 201, body: { applicationId, semanticVersion: '1.1.500', ...created } };
  };

  return { intercept, received };
};
