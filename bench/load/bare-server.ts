// The floor of the load benchmark: a bare Express app with one JSON route, in a process of its
// own like the API, on 127.0.0.1. Prints "bare listening on http://127.0.0.1:PORT".
import express from 'express';

const app = express();
app.disable('x-powered-by');
// About the size of a small API answer, so the floor pays for JSON and headers too.
const body = { ok: true, service: 'bare', items: Array.from({ length: 5 }, (_, i) => ({ id: i, name: `item-${i}` })) };
app.get('/bare', (_req, res) => {
  res.json(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`bare listening on http://127.0.0.1:${port}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
