import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';

/**
 * An HTTP proxy between the console and the emulator, for tests and benchmarks only:
 * it names every AWS call that passes (service and operation), can answer a share of
 * them with throttling or 5xx errors as AWS does, and tells a listener after each call
 * that changes something, so a test can kill the console at a chosen point.
 */

export interface AwsCall {
  service: string;
  operation: string;
  mutating: boolean;
  /** S3 only: the account the caller expects to own the bucket (ExpectedBucketOwner), if it said. */
  expectedBucketOwner?: string;
  /** Secrets Manager only: the SecretId the call names, if it names one. */
  secretId?: string;
  /** When the proxy received it (ms since the epoch): a benchmark's rate of a call over time. */
  at?: number;
  /** The AWS error the answer named (x-amzn-errortype, e.g. ThrottlingException), injected or the emulator's. */
  errorType?: string;
}

export interface ProxyOptions {
  target: string;
  /** The 127.0.0.1 port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Share of calls answered with a fault instead of being forwarded, 0 to 1. */
  faultRate?: number;
  /** Only these operations get faults (all when unset). */
  faultOperations?: readonly string[];
  /** Deterministic faults: the same seed gives the same sequence. */
  seed?: number;
  /** Called after a mutating call was forwarded and answered (it took effect). */
  onMutatingCall?: (call: AwsCall, count: number) => void;
  /**
   * Answers a request itself instead of the emulator, for a service the emulator lacks
   * (the Serverless Application Repository). Return undefined to forward it.
   */
  intercept?: (request: { method: string; path: string; headers: IncomingMessage['headers']; body: Buffer }) => Promise<InterceptedAnswer | undefined>;
}

export interface InterceptedAnswer {
  status: number;
  /** Sent as JSON, or as it is when a string with `contentType` (STS's XML errors). */
  body: unknown;
  contentType?: string;
}

const READ_PREFIXES = ['Describe', 'Get', 'List', 'Head', 'Filter', 'Validate'];
const isMutating = (operation: string) => !READ_PREFIXES.some((p) => operation.startsWith(p)) && operation !== 'GetCallerIdentity';

/** service from the SigV4 credential scope: Credential=AKID/date/region/SERVICE/aws4_request */
const serviceOf = (req: IncomingMessage) => /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'unknown';

const lambdaOperation = (method: string, path: string) => {
  if (/\/functions\/[^/]+\/policy\/?$/.test(path)) return method === 'POST' ? 'AddPermission' : 'GetPolicy';
  if (/\/functions\/[^/]+\/configuration\/?$/.test(path)) return method === 'PUT' ? 'UpdateFunctionConfiguration' : 'GetFunctionConfiguration';
  if (/\/functions\/[^/]+\/invocations/.test(path)) return 'Invoke';
  if (/\/functions\/?$/.test(path)) return method === 'POST' ? 'CreateFunction' : 'ListFunctions';
  if (/\/functions\/[^/]+\/?$/.test(path)) return method === 'GET' ? 'GetFunction' : method === 'DELETE' ? 'DeleteFunction' : 'UpdateFunction';
  return `${method}Lambda`;
};

/** Bucket subresources the console uses, by query parameter: GET and PUT name the operation. */
const S3_BUCKET_SUBRESOURCES: Record<string, string> = { policy: 'BucketPolicy', tagging: 'BucketTagging', publicAccessBlock: 'PublicAccessBlock' };

const s3Operation = (method: string, path: string) => {
  const [pathname, query = ''] = path.split('?');
  const parts = pathname!.split('/').filter(Boolean);
  const subresource = parts.length <= 1 ? [...new URLSearchParams(query).keys()].find((k) => k in S3_BUCKET_SUBRESOURCES) : undefined;
  if (subresource && ['GET', 'PUT', 'DELETE'].includes(method)) return `${method[0]}${method.slice(1).toLowerCase()}${S3_BUCKET_SUBRESOURCES[subresource]}`;
  if (method === 'PUT') return parts.length <= 1 ? 'CreateBucket' : 'PutObject';
  if (method === 'HEAD') return parts.length <= 1 ? 'HeadBucket' : 'HeadObject';
  if (method === 'GET') return parts.length <= 1 ? 'ListObjects' : 'GetObject';
  return `${method}S3`;
};

/** The SecretId of a Secrets Manager request (a JSON body), if it names one. */
const secretIdOf = (body: Buffer): string | undefined => {
  try {
    const id = (JSON.parse(body.toString('utf8')) as { SecretId?: unknown }).SecretId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
};

export const identifyCall = (req: IncomingMessage, body: Buffer): AwsCall => {
  const service = serviceOf(req);
  const target = req.headers['x-amz-target'];
  let operation: string;
  if (typeof target === 'string') operation = target.split('.').pop()!;
  else if (service === 'lambda') operation = lambdaOperation(req.method ?? 'GET', req.url ?? '/');
  else if (service === 's3') operation = s3Operation(req.method ?? 'GET', req.url ?? '/');
  else
    operation = new URLSearchParams(body.toString('utf8')).get('Action') ?? new URL(req.url ?? '/', 'http://x').searchParams.get('Action') ?? `${req.method}`;
  const owner = service === 's3' ? req.headers['x-amz-expected-bucket-owner'] : undefined;
  const secretId = service === 'secretsmanager' ? secretIdOf(body) : undefined;
  return {
    service,
    operation,
    mutating: isMutating(operation),
    ...(typeof owner === 'string' ? { expectedBucketOwner: owner } : {}),
    ...(secretId ? { secretId } : {}),
  };
};

/** A fault as the service's protocol would send it: throttling or a 5xx. */
const fault = (call: AwsCall, throttle: boolean): { status: number; headers: Record<string, string>; body: string } => {
  const json = ['secretsmanager', 'logs'].includes(call.service);
  if (!throttle) {
    return json
      ? {
          status: 503,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ServiceUnavailableException' },
          body: '{"__type":"ServiceUnavailableException","message":"injected"}',
        }
      : {
          status: 503,
          headers: { 'content-type': 'text/xml' },
          body: '<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>injected</Message></Error></ErrorResponse>',
        };
  }
  if (json)
    return {
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' },
      body: '{"__type":"ThrottlingException","message":"Rate exceeded (injected)"}',
    };
  if (call.service === 'lambda')
    return {
      status: 429,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
      body: '{"Type":"User","message":"Rate exceeded (injected)"}',
    };
  if (call.service === 's3')
    return { status: 503, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>SlowDown</Code><Message>injected</Message></Error>' };
  if (call.service === 'ec2')
    return {
      status: 503,
      headers: { 'content-type': 'text/xml' },
      body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>injected</Message></Error></Errors></Response>',
    };
  return {
    status: 400,
    headers: { 'content-type': 'text/xml' },
    body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded (injected)</Message></Error></ErrorResponse>',
  };
};

/** mulberry32: a small seeded generator, so fault sequences repeat. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export interface AwsProxy {
  url: string;
  calls: AwsCall[];
  faults: AwsCall[];
  setOptions(options: Partial<Omit<ProxyOptions, 'target'>>): void;
  close(): Promise<void>;
}

export const startAwsProxy = (initial: ProxyOptions): Promise<AwsProxy> => {
  let options = { ...initial };
  const random = seeded(options.seed ?? 42);
  const target = new URL(options.target);
  const calls: AwsCall[] = [];
  const faults: AwsCall[] = [];
  let mutatingCount = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const answer: InterceptedAnswer | undefined = await options
        .intercept?.({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body })
        .catch((error: Error) => ({
          status: 500,
          body: { message: error.message },
        }));
      if (answer) {
        const raw = typeof answer.body === 'string' && answer.contentType !== undefined;
        res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json', 'x-amzn-requestid': `intercepted-${calls.length}` });
        res.end(raw ? (answer.body as string) : JSON.stringify(answer.body));
        return;
      }
      const call = { ...identifyCall(req, body), at: Date.now() };
      calls.push(call);
      const eligible = !options.faultOperations || options.faultOperations.includes(call.operation);
      if (eligible && options.faultRate && random() < options.faultRate) {
        faults.push(call);
        const f = fault(call, random() < 0.5);
        call.errorType = f.headers['x-amzn-errortype'] ?? 'ServiceUnavailable';
        res.writeHead(f.status, { ...f.headers, 'x-amzn-requestid': `injected-${faults.length}` });
        res.end(f.body);
        return;
      }
      const upstream = httpRequest(
        { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          const errorType = answer.headers['x-amzn-errortype'];
          if (typeof errorType === 'string') call.errorType = errorType.split(':')[0]!;
          answer.pipe(res);
          answer.on('end', () => {
            if (call.mutating && (answer.statusCode ?? 500) < 300) {
              mutatingCount++;
              options.onMutatingCall?.(call, mutatingCount);
            }
          });
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(initial.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        calls,
        faults,
        setOptions(next) {
          options = { ...options, ...next };
          if (next.onMutatingCall) mutatingCount = 0;
        },
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
};
