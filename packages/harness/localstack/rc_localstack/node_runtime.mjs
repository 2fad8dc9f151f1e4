// A minimal Lambda runtime for Node.js, as the harness's LocalStack executor (node_executor.py) runs
// it: loads the handler named by _HANDLER from LAMBDA_TASK_ROOT ("index.handler" -> index.mjs, .js
// or .cjs, export `handler`), then loops over the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API:
// GET invocation/next, run the handler, POST invocation/{id}/response or /error. A handler that
// cannot be loaded is reported to init/error. Console output carries Lambda's prefix
// (time, request id, level); after each event the runtime prints an end marker for the executor.
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const END_MARKER = '@@rc-invocation-end ';
let currentRequestId = 'undefined';

for (const [method, level] of [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
]) {
  console[method] = (...args) => process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}\n`);
}

const errorBody = (error) => ({
  errorType: error?.name ?? 'Error',
  errorMessage: error?.message ?? String(error),
  trace: typeof error?.stack === 'string' ? error.stack.split('\n') : [],
});

/**
 * GET invocation/next: blocks until the executor has an event, however long the environment idles.
 * Not fetch: its client gives up on a response whose headers take 300 s (undici's headersTimeout),
 * while the executor's handler, still waiting, then hands the next event to the closed connection:
 * the event was lost and the invocation ran into the function's timeout without running (an
 * environment idle between 5 and 10 minutes, LocalStack's LAMBDA_KEEPALIVE_MS). node:http's client
 * has no such timeout.
 */
const nextInvocation = () =>
  new Promise((resolve, reject) => {
    http
      .get(`${api}/invocation/next`, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });

const post = (url, body, headers = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const loadHandler = async () => {
  const handlerSetting = process.env._HANDLER ?? '';
  const dot = handlerSetting.lastIndexOf('.');
  const [moduleName, exportName] = [handlerSetting.slice(0, dot), handlerSetting.slice(dot + 1)];
  const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const file = ['.mjs', '.js', '.cjs'].map((ext) => path.join(root, moduleName + ext)).find((f) => existsSync(f));
  if (!file) throw Object.assign(new Error(`Cannot find module '${moduleName}'`), { name: 'Runtime.ImportModuleError' });
  const mod = await import(pathToFileURL(file).href);
  const handler = mod[exportName] ?? mod.default?.[exportName];
  if (typeof handler !== 'function') throw Object.assign(new Error(`${handlerSetting} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return handler;
};

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  console.error(`${error.name}: ${error.message}`);
  await post(`${api}/init/error`, errorBody(error), { 'Lambda-Runtime-Function-Error-Type': error.name ?? 'Runtime.Unknown' });
  process.exit(1);
}

for (;;) {
  let next;
  try {
    next = await nextInvocation();
  } catch {
    break; // the executor is gone
  }
  if (next.status !== 200) break; // the environment stops
  const requestId = next.headers['lambda-runtime-aws-request-id'];
  const deadline = Number(next.headers['lambda-runtime-deadline-ms']);
  const event = JSON.parse(next.body);
  currentRequestId = requestId;
  const context = {
    awsRequestId: requestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  let outcome;
  try {
    outcome = { ok: true, result: (await handler(event, context)) ?? null };
  } catch (error) {
    outcome = { ok: false, error: errorBody(error) };
    // As Lambda's Node.js runtime logs an unhandled error.
    console.error(`Invoke Error \t${JSON.stringify(outcome.error)}`);
  }
  process.stdout.write(`\n${END_MARKER}${requestId}\n`);
  currentRequestId = 'undefined';
  if (outcome.ok) await post(`${api}/invocation/${requestId}/response`, outcome.result);
  else await post(`${api}/invocation/${requestId}/error`, outcome.error, { 'Lambda-Runtime-Function-Error-Type': outcome.error.errorType });
}
