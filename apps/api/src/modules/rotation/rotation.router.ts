import {
  FunctionAdoption,
  MasterSecretCandidatesQuery,
  NetworkOfferQuery,
  RotationRequest,
  SchedulePreviewRequest,
  SecretCheckQuery,
  SecretIdParams,
  VpcIdParams,
  type Principal,
  type SchedulePreview,
} from '@rotation-console/contracts';
import { complianceAdvice, describeSchedule, intervalDays, nextWindows, scheduleLimitProblem, validateSchedule } from '@rotation-console/rotation';
import { Router } from 'express';
import type { AuditTrail } from '../../platform/audit-trail.ts';
import { authorize, authorizeSecret, checkSecret, teamScope } from '../../platform/auth.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { scheduleLimitOf, type Teams } from '../../platform/teams-config.ts';
import { parseInput } from '../../platform/validation.ts';
import type { DiscoveryGateway } from './discovery.aws.ts';
import type { MasterCandidatesService } from './master-candidates.service.ts';
import type { NetworkService } from './network.service.ts';
import type { PlanService } from './plan.service.ts';
import type { SecretCheckService } from './secret-check.service.ts';
import type { OwnershipService } from '../ownership/ownership.service.ts';
import type { SecretRefReader } from './secret-ref.ts';

interface Deps {
  discovery: DiscoveryGateway;
  secretCheck: SecretCheckService;
  masterCandidates: MasterCandidatesService;
  network: NetworkService;
  plans: PlanService;
  ownership: OwnershipService;
  secretRef: SecretRefReader;
  audit: AuditTrail;
  teamTagKey: string;
  teams: Teams;
  now?: () => Date;
}

/** The wizard's reads: what it offers, the secret check, the schedule preview and the plan. None changes anything. */
export const createRotationRouter = ({
  discovery,
  secretCheck,
  masterCandidates,
  network,
  plans,
  ownership,
  secretRef,
  audit,
  teamTagKey,
  teams,
  now = () => new Date(),
}: Deps) => {
  const router = Router();

  /**
   * What the wizard offers is for one secret's team when it names the secret (the caller must be
   * allowed to plan for it), else for any of the caller's teams (undefined).
   */
  const teamFor = async (principal: Principal, secretId: string | undefined) => {
    if (!secretId) return { team: undefined, arn: null };
    const secret = await secretRef(secretId);
    checkSecret(principal, 'rotation:plan', secretId, secret);
    return { team: secret.team, arn: secret.arn };
  };
  const offerFor = async (principal: Principal, secretId: string | undefined) => {
    const { team, arn } = await teamFor(principal, secretId);
    if (arn === null) return { team, database: null };
    // The database's own network decides an operator's networks; an admin may use any, so it is not read then.
    const database = principal.roles.includes('admin') ? null : await network.databaseNetwork(arn);
    return { team, database };
  };

  router.get('/api/v1/secrets/:secretId/check', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    const query = parseInput(SecretCheckQuery, req.query, 'query parameters');
    const secret = await secretRef(secretId);
    checkSecret(req.principal, 'secrets:check', secretId, secret);
    // A master secret is read (its format checked): only one the caller may read.
    if (query.masterSecretId) checkSecret(req.principal, 'secrets:read', query.masterSecretId, await secretRef(query.masterSecretId));
    authorizeSecret(req.principal, 'secrets:check', secretId, secret);
    const {
      secretArn: _secretArn,
      masterSecretArn: _masterArn,
      described: _described,
      ...check
    } = await secretCheck.check(secretId, query.strategy, query.masterSecretId);
    res.json(check);
  });

  // The master secret picker: for those who may plan for the secret, only the secrets they may read
  // (the plan refuses any other master) and that name the same database.
  router.get('/api/v1/secrets/:secretId/master-secret-candidates', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    const { name } = parseInput(MasterSecretCandidatesQuery, req.query, 'query parameters');
    const secret = await secretRef(secretId);
    authorizeSecret(req.principal, 'rotation:plan', secretId, secret);
    res.json(await masterCandidates.list(secret, teamScope(req.principal, 'secrets:read'), name));
  });

  // The wizard's network discovery is part of planning a rotation: it reads the secret's value (its
  // host) and maps the account's network, so it is for those who may plan, never for viewers.
  router.get('/api/v1/secrets/:secretId/network', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    authorizeSecret(req.principal, 'rotation:plan', secretId, await secretRef(secretId));
    res.json(await network.forSecret(secretId));
  });

  router.get('/api/v1/lambda-functions', async (req, res) => {
    const { secretId } = parseInput(NetworkOfferQuery, req.query, 'query parameters');
    authorize(req.principal, 'rotation:plan', { type: 'service' });
    const { team } = await teamFor(req.principal, secretId);
    res.json({ items: await ownership.offerFunctions(req.principal, await discovery.listFunctions(), team, teamTagKey) });
  });

  router.post('/api/v1/function-adoptions', async (req, res) => {
    const { functionName, team } = parseInput(FunctionAdoption, req.body, 'adoption');
    authorize(req.principal, 'functions:adopt', { type: 'service' });
    const adopted = await ownership.adoptFunction(functionName, team, teamTagKey);
    if (!adopted) throw new NotFoundError({ message: `Lambda function "${functionName}" was not found.` });
    if (adopted.changed) {
      await audit.record(req, {
        action: 'function.adopt',
        subject: adopted.arn,
        outcome: 'succeeded',
        before: { team: adopted.before },
        after: { team: adopted.after },
      });
    }
    const [offered] = await ownership.offerFunctions(
      req.principal,
      [{ name: adopted.name, arn: adopted.arn, runtime: null, description: null, vpcId: null }],
      team,
      teamTagKey,
    );
    res.json(offered);
  });

  router.get('/api/v1/vpcs', async (req, res) => {
    const { secretId } = parseInput(NetworkOfferQuery, req.query, 'query parameters');
    authorize(req.principal, 'rotation:plan', { type: 'service' });
    const { team, database } = await offerFor(req.principal, secretId);
    res.json({ items: await ownership.usableNetwork(req.principal, 'vpc', await discovery.vpcs(), team, database) });
  });

  router.get('/api/v1/vpcs/:vpcId', async (req, res) => {
    const { vpcId } = parseInput(VpcIdParams, req.params, 'VPC id');
    const { secretId } = parseInput(NetworkOfferQuery, req.query, 'query parameters');
    authorize(req.principal, 'rotation:plan', { type: 'service' });
    const { team, database } = await offerFor(req.principal, secretId);
    const [usable] = await ownership.usableNetwork(req.principal, 'vpc', [{ id: vpcId }], team, database);
    if (!usable) throw new NotFoundError({ message: `VPC "${vpcId}" was not found among the networks you may use.` });
    const detail = await network.vpcDetail(vpcId);
    res.json({
      ...detail,
      subnets: await ownership.usableNetwork(req.principal, 'subnet', detail.subnets, team, database),
      securityGroups: await ownership.usableNetwork(req.principal, 'security-group', detail.securityGroups, team, database),
    });
  });

  router.post('/api/v1/schedule-previews', async (req, res) => {
    const body = parseInput(SchedulePreviewRequest, req.body, 'schedule');
    // With a secret or a team, the team's limit is checked too, so the wizard shows it before submit;
    // the caller must then be allowed to plan for that secret or team.
    let team: string | null = null;
    if (body.secretId) {
      const secret = await secretRef(body.secretId);
      checkSecret(req.principal, 'rotation:plan', body.secretId, secret);
      team = secret.team;
    } else if (body.team) {
      authorize(req.principal, 'rotation:plan', { type: 'secret', name: `team ${body.team}`, team: body.team });
      team = body.team;
    } else {
      authorize(req.principal, 'rotation:plan', { type: 'service' });
    }
    const limit = scheduleLimitOf(teams, team);
    const result = validateSchedule({ schedule: body.schedule, ...(body.duration ? { duration: body.duration } : {}) });
    const beyondLimit = result.ok && limit ? scheduleLimitProblem(result.rules, limit) : null;
    const preview: SchedulePreview = result.ok
      ? {
          valid: beyondLimit === null,
          errors: beyondLimit ? [beyondLimit] : [],
          description: describeSchedule(result.rules),
          windows: nextWindows(result.rules, now()).map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString() })),
          advice: complianceAdvice({
            ...(intervalDays(result.rules) ? { days: intervalDays(result.rules)! } : {}),
            ...(body.strategy ? { strategy: body.strategy } : {}),
          }),
          limit,
        }
      : { valid: false, errors: result.errors, description: null, windows: [], advice: [], limit };
    res.json(preview);
  });

  router.post('/api/v1/rotation-plans', async (req, res) => {
    const request = parseInput(RotationRequest, req.body, 'rotation request');
    res.json((await plans.plan(req.principal, request, 'rotation:plan')).plan);
  });

  return router;
};
