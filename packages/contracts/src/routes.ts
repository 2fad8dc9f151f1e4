import type { z } from 'zod';
import { ErrorBody } from './errors.ts';
import { Health } from './health.ts';
import type { Action } from './permissions.ts';
import { ListSecretsQuery, SecretDetail, SecretIdParams, SecretPage } from './secrets.ts';

/**
 * Every route of the API, in one table: the OpenAPI document is generated from it,
 * and so is the authorization matrix test. A route missing here is a route the
 * document does not describe.
 */
export interface RouteContract {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express-style path, `:param` for parameters. */
  path: string;
  summary: string;
  action: Action | null;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, z.ZodType | null>;
}

const errors = { 400: ErrorBody, 502: ErrorBody, 503: ErrorBody, 504: ErrorBody };

export const routes = [
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    action: null,
    responses: { 200: null },
  },
  {
    method: 'get',
    path: '/api/v1/health',
    summary: 'Service status and the AWS target it talks to',
    action: 'health:read',
    responses: { 200: Health },
  },
  {
    method: 'get',
    path: '/api/v1/secrets',
    summary: 'One page of secrets with their rotation status (ListSecrets only)',
    action: 'secrets:list',
    query: ListSecretsQuery,
    responses: { 200: SecretPage, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/secrets/:secretId',
    summary: 'One secret: rotation, versions and their stages, status and reasons; never the value',
    action: 'secrets:read',
    params: SecretIdParams,
    responses: { 200: SecretDetail, 404: ErrorBody, ...errors },
  },
] as const satisfies readonly RouteContract[];
