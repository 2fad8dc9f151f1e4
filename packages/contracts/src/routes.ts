import type { z } from 'zod';
import { AuditPage, AuditQuery } from './audit.ts';
import { Batch, BatchAccepted, BatchIdParams, BatchListQuery, BatchPage, BatchPreview, BatchRequest, BatchStartRequest } from './batches.ts';
import {
  AlertChannelCreated,
  AlertChannelList,
  AlertChannelParams,
  AlertDeliveriesQuery,
  AlertDeliveryPage,
  AlertTestAccepted,
  NewAlertChannel,
  TeamParams,
} from './alerts.ts';
import { ErrorBody } from './errors.ts';
import { EventsSetupPreview, EventsStatus, IndexChange } from './events.ts';
import { HealthAnswer } from './health.ts';
import { CsrfToken, Me } from './identity.ts';
import type { Action } from './permissions.ts';
import { Calendar, CalendarQuery, DashboardExportQuery, DashboardListQuery, DashboardPage, DashboardSummary, SecretTimeline } from './dashboard.ts';
import { OperationPreview, OperationRequest } from './operations.ts';
import {
  FunctionAdoption,
  LambdaFunctionList,
  LambdaFunctionSummary,
  MasterSecretCandidateList,
  MasterSecretCandidatesQuery,
  NetworkOfferQuery,
  RotationPlan,
  RotationRequest,
  SecretCheck,
  SecretCheckQuery,
  SecretNetwork,
  SchedulePreview,
  SchedulePreviewRequest,
  VpcDetail,
  VpcIdParams,
  VpcList,
  Workflow,
  WorkflowAccepted,
  WorkflowIdParams,
} from './rotation.ts';
import { Portal, PortalQuery } from './portal.ts';
import { FreezeTeamParams, FreezeWindow, FreezeWindowList, FreezeWindowParams, NewFreezeWindow } from './freeze.ts';
import { PreflightReport } from './preflight.ts';
import { FunctionsPage, FunctionsQuery, FunctionUpdatePreview, FunctionUpdateRequest } from './functions.ts';
import { ListSecretsQuery, SecretDetail, SecretIdParams, SecretPage, SecretRefreshRequest } from './secrets.ts';

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
    summary:
      'Up or down to anyone; to a signed-in caller also the version and the AWS target (account, region, endpoint, the last error). AWS is asked at most once a minute',
    action: 'health:read',
    responses: { 200: HealthAnswer },
  },
  {
    method: 'get',
    path: '/api/v1/me',
    summary: 'Who this request runs as: name, roles and teams (any signed-in caller)',
    action: null,
    responses: { 200: Me, 401: ErrorBody },
  },
  {
    method: 'get',
    path: '/api/v1/csrf-token',
    summary: 'The CSRF token a cookie session sends in X-CSRF-Token on every POST (any signed-in caller; null without cookie sessions)',
    action: null,
    responses: { 200: CsrfToken, 401: ErrorBody },
  },
  {
    method: 'get',
    path: '/api/v1/secrets',
    summary:
      "One page of secrets with their rotation status, from the console's index (AWS's first ListSecrets page until the first crawl ends), with how fresh it is",
    action: 'secrets:list',
    query: ListSecretsQuery,
    responses: { 200: SecretPage, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/secret-refreshes',
    summary:
      'Reads the page of the Secrets list in view again from AWS (DescribeSecret per secret on it, ListSecrets for its filters), updates the index and answers that page; changes nothing in AWS',
    action: 'secrets:list',
    body: SecretRefreshRequest,
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
  {
    method: 'get',
    path: '/api/v1/secrets/:secretId/check',
    summary: "Checks the secret's SecretString (and the master secret's) against the format the rotation function expects; field names and verdicts only",
    action: 'secrets:check',
    params: SecretIdParams,
    query: SecretCheckQuery,
    responses: { 200: SecretCheck, 404: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/secrets/:secretId/master-secret-candidates',
    summary:
      "The secrets the caller may choose as the secret's master secret (multi-user rotation): those it may read whose SecretString names the same engine, host and port, each with that database; never a user or password",
    action: 'rotation:plan',
    params: SecretIdParams,
    query: MasterSecretCandidatesQuery,
    responses: { 200: MasterSecretCandidateList, 404: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/secrets/:secretId/network',
    summary: "The database's VPC, subnets and security groups, found from the secret's host through RDS",
    action: 'rotation:plan',
    params: SecretIdParams,
    responses: { 200: SecretNetwork, 404: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/lambda-functions',
    summary:
      "Lambda functions the caller may choose as an existing rotation function (for the named secret's team), each with its owner and the secrets it rotates",
    action: 'rotation:plan',
    query: NetworkOfferQuery,
    responses: { 200: LambdaFunctionList, 404: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/function-adoptions',
    summary: 'An admin gives a function to a team: tags it with the team (audited)',
    action: 'functions:adopt',
    body: FunctionAdoption,
    responses: { 200: LambdaFunctionSummary, 404: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/vpcs',
    summary: "VPCs the caller may run rotation functions in (for the named secret's team)",
    action: 'rotation:plan',
    query: NetworkOfferQuery,
    responses: { 200: VpcList, 404: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/vpcs/:vpcId',
    summary: "A VPC's subnets (with whether each has a route out), security groups and Secrets Manager endpoint: those the caller may use",
    action: 'rotation:plan',
    params: VpcIdParams,
    query: NetworkOfferQuery,
    responses: { 200: VpcDetail, 404: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/schedule-previews',
    summary: 'Validates a rotation schedule as AWS does and lists its next five windows; changes nothing',
    action: 'rotation:plan',
    body: SchedulePreviewRequest,
    // With a secretId, the secret's team limit is read from AWS (DescribeSecret).
    responses: { 200: SchedulePreview, 404: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/rotation-plans',
    summary: 'Builds the plan for a rotation request (every AWS call, in order, with the CLI session); changes nothing',
    action: 'rotation:plan',
    body: RotationRequest,
    // 409: what the request would make exists and is not the caller's (a function or stack of that name belonging to another team).
    responses: { 200: RotationPlan, 404: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/rotation-plans/preflight',
    summary:
      "Will this rotation work? The wizard's review: the network to the database and to Secrets Manager, the permissions, the function and the database login checked for the request's choices with read-only calls; changes nothing",
    action: 'rotation:plan',
    body: RotationRequest,
    // 409: planned as POST /api/v1/rotation-plans is, with its conflicts.
    responses: { 200: PreflightReport, 404: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/secrets/:secretId/preflight',
    summary:
      "Check rotation: the preflight of the secret's rotation as configured (its function, network, permissions and database login), with read-only calls; changes nothing",
    action: 'rotation:plan',
    params: SecretIdParams,
    responses: { 200: PreflightReport, 404: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/workflows',
    summary: 'Stores the plan for a rotation request and starts it; the same Idempotency-Key returns the same workflow',
    action: 'workflows:start',
    body: RotationRequest,
    responses: { 202: WorkflowAccepted, 404: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/workflows/:workflowId',
    summary: 'A workflow and every step: status, times, AWS request id, error; and the first rotation outcome',
    action: 'workflows:read',
    params: WorkflowIdParams,
    responses: { 200: Workflow, 400: ErrorBody, 404: ErrorBody },
  },
  {
    method: 'post',
    path: '/api/v1/batches/preview',
    summary:
      "One plan for many secrets (by id or by the dashboard filter) and one action (enable, rotate now, turn off): the shared steps once, each secret's steps, staggered start and preflight verdict, the refused secrets and why; changes nothing in AWS. The plan is kept for 15 minutes under `previewId`, for Start",
    action: 'rotation:plan',
    body: BatchRequest,
    // Up to 1000 secret ids can make a body larger than MAX_BODY_BYTES (100 KiB by default): 413, as the error middleware answers.
    responses: { 200: BatchPreview, 409: ErrorBody, 413: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/batches',
    summary:
      "Starts a batch: the shared steps as one workflow, then each included secret as its own workflow, paced and staggered; refused secrets are listed. With `previewId`, the plan that preview kept (the caller's, unexpired, unused, for this request; otherwise 409), the policy checked again for each secret; without it, every secret is planned again. Idempotency-Key honoured: the caller's same key with the same request (`previewId` aside) returns the same batch, its status now, and starts nothing, even once its preview is used; with another request, 409",
    action: 'workflows:start',
    body: BatchStartRequest,
    responses: { 202: BatchAccepted, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/batches',
    summary: 'The batches the caller may see, newest first, with their totals',
    action: 'workflows:read',
    query: BatchListQuery,
    responses: { 200: BatchPage, 400: ErrorBody },
  },
  {
    method: 'get',
    path: '/api/v1/batches/:batchId',
    summary: "A batch: each secret's workflow status, progress and result, the refused secrets and the totals",
    action: 'workflows:read',
    params: BatchIdParams,
    responses: { 200: Batch, 400: ErrorBody, 404: ErrorBody },
  },
  {
    method: 'get',
    path: '/api/v1/dashboard/summary',
    summary: 'Fleet summary from the index: counts by status, coverage by team and engine, secrets due in 7 days',
    action: 'dashboard:read',
    responses: { 200: DashboardSummary, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/dashboard/secrets',
    summary: 'One page of the index: sorted, filtered, with the total',
    action: 'dashboard:read',
    query: DashboardListQuery,
    responses: { 200: DashboardPage, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/dashboard/secrets.csv',
    summary: 'The filtered list as CSV (cells starting with = + - @ are escaped)',
    action: 'dashboard:read',
    query: DashboardExportQuery,
    responses: { 200: null, 400: ErrorBody },
  },
  {
    method: 'get',
    path: '/api/v1/dashboard/calendar',
    summary: 'Rotation windows across the fleet in a date range',
    action: 'dashboard:read',
    query: CalendarQuery,
    responses: { 200: Calendar, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/portal',
    summary:
      "The self-service portal from the index: for each team whose secrets the caller may change, the team's defaults and limits, its secrets and what needs attention",
    action: 'secrets:list',
    query: PortalQuery,
    responses: { 200: Portal, 403: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/teams/:team/freeze-windows',
    summary:
      "A team's freeze windows (the teams file's and the portal's), each with its open and next occurrence; the portal's scope: the team's operators and admins",
    action: 'secrets:rotate',
    params: FreezeTeamParams,
    responses: { 200: FreezeWindowList, 403: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/teams/:team/freeze-windows',
    summary: 'Adds a freeze window to a team (one-off, weekly or monthly, in UTC); audited',
    action: 'secrets:rotate',
    params: FreezeTeamParams,
    body: NewFreezeWindow,
    responses: { 201: FreezeWindow, 403: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'delete',
    path: '/api/v1/teams/:team/freeze-windows/:windowId',
    summary: "Removes a freeze window added on the portal (the teams file's stay); audited",
    action: 'secrets:rotate',
    params: FreezeWindowParams,
    responses: { 204: null, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/secrets/:secretId/timeline',
    summary: "A secret's versions over time, the workflows and audit records that touched it, and what failed",
    action: 'secrets:read',
    params: SecretIdParams,
    responses: { 200: SecretTimeline, 404: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/secrets/:secretId/operation-previews',
    summary: 'What an operation (rotate now, turn off, roll back, clear stuck) will do; changes nothing',
    action: 'secrets:read',
    params: SecretIdParams,
    body: OperationRequest,
    responses: { 200: OperationPreview, 404: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/secrets/:secretId/operations',
    summary: 'Starts an operation as a workflow (Idempotency-Key honoured)',
    action: 'secrets:rotate',
    params: SecretIdParams,
    body: OperationRequest,
    responses: { 202: WorkflowAccepted, 404: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/functions',
    summary:
      "Every rotation function in the account-regions the console covers (Lambda's list, kept a minute), with its runtime's end of life, its owner, the secrets it rotates and their last rotations from the index, and whether it is the console's function at the current code; to an operator only its teams' functions. A target Lambda does not answer for is listed with its error",
    action: 'functions:list',
    query: FunctionsQuery,
    responses: { 200: FunctionsPage, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/function-update-previews',
    summary:
      "What updating the console's own rotation function to the current code will do (upload, a change set on its stack with the stack's parameters, run it, check the code), with the CLI session and the secrets it rotates; changes nothing",
    action: 'functions:list',
    body: FunctionUpdateRequest,
    responses: { 200: FunctionUpdatePreview, 404: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/function-updates',
    summary: "Redeploys the console's own rotation function with the current code through its stack, as a workflow (audited; Idempotency-Key honoured)",
    action: 'functions:update',
    body: FunctionUpdateRequest,
    responses: { 202: WorkflowAccepted, 404: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/audit',
    summary: 'The audit log, newest first: sign-ins, sign-outs, refusals and changes, filtered by actor, action, subject, outcome and time (admins)',
    action: 'audit:read',
    query: AuditQuery,
    responses: { 200: AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
  },
  {
    method: 'get',
    path: '/api/v1/events/status',
    summary:
      "Rotation events: the queue consumed, the EventBridge rule's state, when a message last came, the last events applied, the messages set aside and the last setup (admins)",
    action: 'events:read',
    responses: { 200: EventsStatus, 401: ErrorBody, 403: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/events/setup-previews',
    summary:
      "What the events setup would create in the console's own account (rule, queue, dead-letter queue, queue policy, target), with the AWS CLI commands (admins)",
    action: 'events:setup',
    responses: { 200: EventsSetupPreview, 401: ErrorBody, 403: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/events/setups',
    summary:
      'Creates the EventBridge rule and SQS queues for rotation events in the console’s own account, as a workflow of idempotent steps (audited; Idempotency-Key honoured; admins)',
    action: 'events:setup',
    responses: { 202: WorkflowAccepted, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/index/changes',
    summary:
      'When the index last changed: server-sent events (`index-changed`, data `{ changedAt }`) with Accept: text/event-stream, else JSON. Never names or values (any signed-in caller)',
    action: 'dashboard:read',
    responses: { 200: IndexChange, 401: ErrorBody },
  },
  {
    method: 'get',
    path: '/api/v1/teams/:team/alert-channels',
    summary: "The team's alert channels, from the teams file and the portal; a URL shows only its host and a masked path (its operators and admins)",
    action: 'alerts:read',
    params: TeamParams,
    responses: { 200: AlertChannelList, 403: ErrorBody, 404: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/teams/:team/alert-channels',
    summary:
      "Adds an alert channel to the team (webhook, Slack or email); a webhook's signing secret is in this answer only. URLs must be https:// (http:// only to this machine) and never resolve to a link-local or metadata address",
    action: 'alerts:manage',
    params: TeamParams,
    body: NewAlertChannel,
    responses: { 201: AlertChannelCreated, 403: ErrorBody, 404: ErrorBody, ...errors },
  },
  {
    method: 'delete',
    path: '/api/v1/teams/:team/alert-channels/:channelId',
    summary: "Removes a channel made on the portal (a teams file's channel is removed in the file: 409)",
    action: 'alerts:manage',
    params: AlertChannelParams,
    responses: { 204: null, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, ...errors },
  },
  {
    method: 'post',
    path: '/api/v1/teams/:team/alert-channels/:channelId/tests',
    summary: 'Sends a test alert to the channel through the outbox (the delivery log shows each attempt)',
    action: 'alerts:manage',
    params: AlertChannelParams,
    responses: { 202: AlertTestAccepted, 403: ErrorBody, 404: ErrorBody, ...errors },
  },
  {
    method: 'get',
    path: '/api/v1/teams/:team/alert-deliveries',
    summary: "The team's delivery log, newest first: each attempt with its channel, outcome, HTTP status or SMTP reply and error",
    action: 'alerts:read',
    params: TeamParams,
    query: AlertDeliveriesQuery,
    responses: { 200: AlertDeliveryPage, 403: ErrorBody, 404: ErrorBody, ...errors },
  },
] as const satisfies readonly RouteContract[];
