import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsClientFactory } from './aws.ts';

/**
 * The Serverless Application Repository's two calls the console makes, over its REST
 * API with SigV4. AWS stopped publishing an SDK v3 client for it in step with the
 * others (3.668 is the last), and the catalog pins every @aws-sdk client to one
 * version, so the console signs these two requests itself, with the credentials the
 * other clients resolved.
 */

export class ServerlessRepoError extends Error {
  readonly status: number;
  readonly awsErrorName: string;
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  constructor(status: number, name: string, message: string, requestId?: string) {
    super(message);
    this.name = name;
    this.awsErrorName = name;
    this.status = status;
    this.$metadata = { httpStatusCode: status, ...(requestId ? { requestId } : {}) };
  }
}

export interface ChangeSetRequest {
  applicationId: string;
  stackName: string;
  parameterOverrides: { name: string; value: string }[];
  capabilities: string[];
  clientToken: string;
  tags?: { Key: string; Value: string }[];
}

export interface ChangeSetResult {
  changeSetId: string;
  stackId: string;
  requestId: string | null;
}

export const createServerlessRepoClient = (aws: AwsClientFactory) => {
  const { region, endpoint, timeoutMs } = aws.settings;
  const base = endpoint ?? `https://serverlessrepo.${region}.amazonaws.com`;

  const send = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const url = new URL(path, base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const signer = new SignatureV4({
      service: 'serverlessrepo',
      region,
      credentials: aws.forRegion().sts.config.credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/json', ...(payload ? { 'content-length': String(Buffer.byteLength(payload)) } : {}) },
      ...(payload ? { body: payload } : {}),
    });
    const res = await fetch(url, { method, headers: signed.headers, ...(payload ? { body: payload } : {}), signal: AbortSignal.timeout(timeoutMs) });
    const requestId = res.headers.get('x-amzn-requestid');
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!res.ok) {
      const name = String(res.headers.get('x-amzn-errortype') ?? json.errorCode ?? json.__type ?? `HTTP${res.status}`).split(':')[0]!;
      throw new ServerlessRepoError(res.status, name, String(json.message ?? json.Message ?? res.statusText), requestId ?? undefined);
    }
    return { json, requestId };
  };

  const appPath = (applicationId: string) => `/applications/${encodeURIComponent(applicationId)}`;

  return {
    /** Resolves when the repository answers for the application; throws otherwise. */
    async getApplication(applicationId: string) {
      await send('GET', appPath(applicationId));
    },

    async createCloudFormationChangeSet(request: ChangeSetRequest): Promise<ChangeSetResult> {
      const { json, requestId } = await send('POST', `${appPath(request.applicationId)}/changesets`, {
        stackName: request.stackName,
        parameterOverrides: request.parameterOverrides,
        capabilities: request.capabilities,
        clientToken: request.clientToken,
        // The REST API's tags (key/value, lower case) go on the stack, which passes them on to its resources.
        ...(request.tags?.length ? { tags: request.tags.map((t) => ({ key: t.Key, value: t.Value })) } : {}),
      });
      return { changeSetId: String(json.changeSetId), stackId: String(json.stackId), requestId };
    },
  };
};
export type ServerlessRepoClient = ReturnType<typeof createServerlessRepoClient>;
