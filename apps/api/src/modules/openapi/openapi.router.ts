import { buildOpenApiDocument } from '@rotation-console/contracts';
import { Router } from 'express';

/** The OpenAPI 3.1 document, generated from the contracts' route table. Public, like the API's shape. */
export const createOpenApiRouter = ({ version }: { version: string }) => {
  const document = buildOpenApiDocument(version);
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
};
