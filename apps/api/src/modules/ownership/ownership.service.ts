import {
  mayUseResource,
  ownerInWords,
  RESOURCE_KIND_LABELS,
  resourceOwners,
  type LambdaFunctionSummary,
  type OwnedResource,
  type Principal,
  type ResourceFacts,
  type RotationRequest,
  type SharedFunctionImpact,
} from '@rotation-console/contracts';
import { functionNameOf, stackNameFor } from '@rotation-console/rotation';
import { mayReadFunctionLogs } from '../../platform/auth.ts';
import { ConflictError, InputError, NotAllowedError } from '../../platform/errors.ts';
import type { Teams } from '../../platform/teams-config.ts';
import type { FunctionRecord, FunctionUser, OwnershipGateway } from './ownership.aws.ts';

/** The network a secret's database runs in (found through RDS for the secret's host). */
export interface DatabaseNetwork {
  vpcId: string;
  subnetIds: string[];
  /** The database's own groups, and the groups they admit (its clients, such as its rotation functions). */
  securityGroupIds: string[];
}

/** A secret as ownership needs it. */
export interface OwnedSecret {
  name: string;
  arn: string;
  team: string | null;
}

/** What a plan changes on the function, read before anything runs. */
export interface FunctionChanges {
  /** The VPC configuration the plan sets, when it differs from the function's. */
  network: { subnetIds: string[]; securityGroupIds: string[] } | null;
  /** The plan adds Secrets Manager's invoke permission (the function has none yet). */
  permission: boolean;
  /** The plan adds a master secret grant to the function's role. */
  rolePolicy: boolean;
}

type NetworkKind = 'vpc' | 'subnet' | 'security-group';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

const words = (ids: string[]) => (ids.length ? ids.join(', ') : 'none');

/**
 * Who owns each AWS resource a rotation touches, decided by the one policy (contracts' policy.ts)
 * from what AWS and the teams file say, and the checks that refuse a team another team's
 * resource. The plan asks it before anything runs; the workflow asks again before each step.
 */
export const createOwnershipService = ({ gateway, teams }: { gateway: OwnershipGateway; teams: Teams }) => {
  const teamTagOf = (tags: Record<string, string>, teamTagKey: string) => tags[teamTagKey] || null;

  const functionFacts = (
    fn: { arn: string; name: string; tags: Record<string, string> },
    users: Pick<FunctionUser, 'functionName' | 'team'>[],
    teamTagKey: string,
  ): ResourceFacts => ({
    kind: 'function',
    id: fn.name,
    tagTeam: teamTagOf(fn.tags, teamTagKey),
    listedFor: teams.listing('function', fn.arn),
    servesTeams: users.filter((u) => u.functionName === fn.name).map((u) => u.team),
  });

  const networkFacts = (
    kind: NetworkKind,
    id: string,
    tagTeams: Map<string, string | null>,
    team: string | null,
    database: DatabaseNetwork | null,
  ): ResourceFacts => {
    const own =
      database !== null &&
      (kind === 'vpc' ? database.vpcId === id : kind === 'subnet' ? database.subnetIds.includes(id) : database.securityGroupIds.includes(id));
    return { kind, id, tagTeam: tagTeams.get(id) ?? null, listedFor: teams.listing(kind, id), databaseOf: own && team ? [team] : [] };
  };

  /** 403 naming the resource and its owner. */
  const refuse = (facts: ResourceFacts, secret: OwnedSecret, principal: Principal): never => {
    const label = RESOURCE_KIND_LABELS[facts.kind];
    const why =
      facts.kind === 'function' && !resourceOwners(facts).length
        ? `it belongs to no team (${
            facts.servesTeams?.length
              ? `it rotates secrets of ${[...new Set(facts.servesTeams.map((t) => t ?? 'no team'))].join(', ')}`
              : 'it has no team tag and rotates no secret'
          }); an admin can adopt it for a team`
        : `it belongs to ${ownerInWords(facts)}`;
    throw new NotAllowedError({
      message: `${principal.name} may not use ${label} ${facts.id} for ${secret.name}: ${why}.`,
      details: [{ path: facts.kind, message: `${label} ${facts.id}: ${ownerInWords(facts)}` }],
    });
  };

  /** What the request would change on an existing function, read from AWS. */
  const changesTo = async (fn: FunctionRecord, request: RotationRequest, masterSecretArn: string | null): Promise<FunctionChanges> => {
    const net = request.network;
    const [invokable, granted] = await Promise.all([
      gateway.secretsManagerMayInvoke(fn.arn),
      request.function.strategy === 'alternating-users' && masterSecretArn && fn.roleArn ? gateway.roleGrants(fn.roleArn, masterSecretArn) : true,
    ]);
    return {
      network:
        net && !(sameSet(fn.subnetIds, net.subnetIds) && sameSet(fn.securityGroupIds, net.securityGroupIds))
          ? { subnetIds: net.subnetIds, securityGroupIds: net.securityGroupIds }
          : null,
      permission: !invokable,
      rolePolicy: !granted,
    };
  };

  const check = (principal: Principal, secret: OwnedSecret, facts: ResourceFacts) => {
    if (!mayUseResource(principal, facts, secret.team)) refuse(facts, secret, principal);
  };

  return {
    /**
     * What the policy needs to decide a function's owners: its team tag, its listing in the teams
     * file, and the teams of the secrets it rotates (`users`, as ListSecrets or the index tells them).
     */
    functionFacts,

    /**
     * Checks every resource a rotation request touches and answers who owns each, with the
     * impact on a function that rotates other secrets too. `impact: false` (a workflow's
     * re-check before a step) skips what only the plan shows.
     */
    async resolve(
      principal: Principal,
      secret: OwnedSecret,
      request: RotationRequest,
      options: { teamTagKey: string; database: DatabaseNetwork | null; impact: boolean; masterSecretArn: string | null },
    ): Promise<{ resources: OwnedResource[]; sharedFunction: SharedFunctionImpact | null }> {
      const { teamTagKey, database } = options;
      const resources: OwnedResource[] = [];
      const chosen = request.function;
      const functionName = chosen.mode === 'create' ? chosen.functionName : functionNameOf(chosen.functionArn);
      const fn = await gateway.function(chosen.mode === 'create' ? chosen.functionName : chosen.functionArn);
      // Whose secrets the function rotates: needed to own an untagged function, and to show the impact.
      // The ListSecrets pass is for the plan's impact listing, and for owning an untagged, unlisted
      // function; a step's re-check of a tagged or listed function needs no more than its tags.
      const ownedByTag = fn !== null && (teamTagOf(fn.tags, teamTagKey) !== null || teams.listing('function', fn.arn).length > 0);
      const users = fn && (options.impact || !ownedByTag) ? await gateway.functionUsers(new Set([fn.name])) : [];

      if (chosen.mode === 'create') {
        // The bundled template's stack, or the one the Serverless Application Repository names with its prefix.
        const names = [stackNameFor(functionName), `serverlessrepo-${stackNameFor(functionName)}`];
        const found = await Promise.all(names.map((name) => gateway.stackTeam(name)));
        const at = Math.max(
          0,
          found.findIndex((s) => s.exists),
        );
        const stackName = names[at]!;
        const stack = found[at]!;
        const stackFacts: ResourceFacts = { kind: 'stack', id: stackName, tagTeam: stack.team, listedFor: [] };
        // A name taken by another owner is never adopted: the stack or function would be theirs.
        // Only an untagged stack (from before the console tagged) is left to an admin's judgement.
        const isAdmin = principal.roles.includes('admin');
        const stackTaken = stack.exists && stack.team !== secret.team && !(stack.team === null && isAdmin);
        if (stackTaken) {
          throw new ConflictError({
            message: `A CloudFormation stack named ${stackName} already exists and belongs to ${ownerInWords(stackFacts)}; choose another function name.`,
            details: [{ path: 'function.functionName', message: `${stackName} belongs to ${ownerInWords(stackFacts)}` }],
          });
        }
        if (fn) {
          // A function of the console's stack carries the stack's tags on AWS (CloudFormation passes
          // them on); where an emulator does not, the stack's team tag stands for the function's.
          const own = functionFacts(fn, users, teamTagKey);
          const facts = stack.exists && !own.tagTeam && stack.team ? { ...own, tagTeam: stack.team } : own;
          const owners = resourceOwners(facts);
          const ours = stack.exists && (owners.includes(secret.team ?? '') || (isAdmin && owners.length === 0));
          if (!ours) {
            throw new ConflictError({
              message: `A Lambda function named ${functionName} already exists${stack.exists ? '' : ' outside the console\u2019s stack'} and belongs to ${ownerInWords(facts)}; choose another function name${
                stack.exists ? '' : ', or use it as an existing function if it is your team\u2019s'
              }.`,
              details: [{ path: 'function.functionName', message: `${functionName} belongs to ${ownerInWords(facts)}` }],
            });
          }
          resources.push({ kind: 'function', id: functionName, owner: ownerInWords(facts), use: 'change' });
        } else {
          resources.push(
            { kind: 'stack', id: stackName, owner: secret.team ? `team ${secret.team}` : 'no team', use: 'create' },
            { kind: 'function', id: functionName, owner: secret.team ? `team ${secret.team}` : 'no team', use: 'create' },
          );
        }
      } else if (fn) {
        const facts = functionFacts(fn, users, teamTagKey);
        check(principal, secret, facts);
        resources.push({ kind: 'function', id: fn.name, owner: ownerInWords(facts), use: 'change' });
        // The grant goes on the function's role: a role tagged with another team stays theirs.
        const roleName = fn.roleArn?.split('/').pop();
        if (chosen.strategy === 'alternating-users' && roleName) {
          const roleFacts: ResourceFacts = { kind: 'role', id: roleName, tagTeam: await gateway.roleTeam(roleName), listedFor: [], inheritsFrom: facts };
          check(principal, secret, roleFacts);
          resources.push({ kind: 'role', id: roleName, owner: ownerInWords(roleFacts), use: 'change' });
        }
      }

      const net = request.network;
      if (net) {
        const tagTeams = await gateway.networkTeams({ vpcIds: [net.vpcId], subnetIds: net.subnetIds, securityGroupIds: net.securityGroupIds });
        const pieces: [NetworkKind, string][] = [
          ['vpc', net.vpcId],
          ...net.subnetIds.map((id) => ['subnet', id] as [NetworkKind, string]),
          ...net.securityGroupIds.map((id) => ['security-group', id] as [NetworkKind, string]),
        ];
        for (const [kind, id] of pieces) {
          const facts = networkFacts(kind, id, tagTeams, secret.team, database);
          check(principal, secret, facts);
          resources.push({ kind, id, owner: ownerInWords(facts), use: kind === 'vpc' && net.createSecretsManagerEndpoint ? 'change' : 'use' });
        }
      }

      let sharedFunction: SharedFunctionImpact | null = null;
      const others = users.filter((u) => u.arn !== secret.arn);
      if (fn && others.length && options.impact) {
        const changes = await changesTo(fn, request, options.masterSecretArn);
        const list: SharedFunctionImpact['changes'] = [];
        if (changes.network) {
          list.push(
            { what: 'subnets', before: words(fn.subnetIds), after: words(changes.network.subnetIds) },
            { what: 'security groups', before: words(fn.securityGroupIds), after: words(changes.network.securityGroupIds) },
          );
        }
        if (changes.permission) list.push({ what: 'invoke permission', before: 'Secrets Manager may not invoke it', after: 'Secrets Manager may invoke it' });
        if (changes.rolePolicy) list.push({ what: 'role policy', before: 'no grant for this master secret', after: 'may read the master secret' });
        sharedFunction = {
          functionName: fn.name,
          otherSecrets: others.map((u) => ({ name: u.name, team: u.team })),
          changes: list,
          acknowledgementRequired: list.length > 0,
        };
      }
      return { resources, sharedFunction };
    },

    /**
     * The functions the wizard offers: to an operator only those its teams may use (for `team`
     * when the wizard names the secret), each with its owner and the secrets it rotates.
     */
    async offerFunctions(
      principal: Principal,
      functions: LambdaFunctionSummary[],
      team: string | null | undefined,
      teamTagKey: string,
    ): Promise<LambdaFunctionSummary[]> {
      const [tags, users] = await Promise.all([gateway.functionTags(functions.map((f) => f.arn)), gateway.functionUsers()]);
      const allowedTeams = team !== undefined ? [team] : principal.teams;
      return functions.flatMap((f) => {
        const facts = functionFacts({ ...f, tags: tags.get(f.arn) ?? {} }, users, teamTagKey);
        const usable = allowedTeams.some((t) => mayUseResource(principal, facts, t)) || (principal.roles.includes('admin') && team === undefined);
        if (!usable && !principal.roles.includes('admin')) return [];
        const served = users.filter((u) => u.functionName === f.name);
        return [{ ...f, owner: ownerInWords(facts), usedBy: served.map((u) => ({ name: u.name, team: u.team })), usable }];
      });
    },

    /** Network ids (of `kind`) that `principal` may use for a secret of `team`; all of them for an admin. */
    async usableNetwork<T extends { id: string }>(
      principal: Principal,
      kind: NetworkKind,
      items: T[],
      team: string | null | undefined,
      database: DatabaseNetwork | null,
    ): Promise<T[]> {
      if (principal.roles.includes('admin')) return items;
      const ids = items.map((i) => i.id);
      const tagTeams = await gateway.networkTeams({
        vpcIds: kind === 'vpc' ? ids : [],
        subnetIds: kind === 'subnet' ? ids : [],
        securityGroupIds: kind === 'security-group' ? ids : [],
      });
      const candidates = team !== undefined ? [team] : principal.teams;
      return items.filter((item) =>
        candidates.some((t) => mayUseResource(principal, networkFacts(kind, item.id, tagTeams, t, team !== undefined ? database : null), t)),
      );
    },

    /**
     * Whether `principal` may read the log of `functionArn` for a rotation of `secret`: who may
     * change the secret (its team's operators, admins) and may change the function too (it is
     * the secret's team's own). A function that no longer exists leaves the secret's rule alone.
     */
    async mayReadFunctionLog(
      principal: Principal,
      secret: { name: string; team: string | null },
      functionArn: string | null,
      teamTagKey: string,
    ): Promise<boolean> {
      if (!mayReadFunctionLogs(principal, secret)) return false;
      if (principal.roles.includes('admin') || !functionArn) return true;
      try {
        const fn = await gateway.function(functionArn);
        if (!fn) return true;
        const tagged = teamTagOf(fn.tags, teamTagKey) !== null || teams.listing('function', fn.arn).length > 0;
        // Only an untagged, unlisted function needs the secrets it rotates to know its owner.
        const users = tagged ? [] : await gateway.functionUsers(new Set([fn.name]));
        return mayUseResource(principal, functionFacts(fn, users, teamTagKey), secret.team);
      } catch {
        // AWS did not answer (throttling, an outage): the owner cannot be told, so the log stays hidden and the page still answers.
        return false;
      }
    },

    /** An admin adopts an untagged function for a team: tagged, so the team owns it from now on. */
    async adoptFunction(functionArnOrName: string, team: string, teamTagKey: string) {
      const region = functionArnOrName.startsWith('arn:') ? functionArnOrName.split(':')[3] : gateway.region();
      if (region !== gateway.region()) {
        throw new InputError({
          message: `Lambda function ${functionArnOrName} is in ${region}; the console works in ${gateway.region()}.`,
          details: [{ path: 'functionName', message: `not in ${gateway.region()}` }],
        });
      }
      const fn = await gateway.function(functionArnOrName);
      if (!fn) return null;
      const current = teamTagOf(fn.tags, teamTagKey);
      if (current && current !== team) {
        throw new ConflictError({ message: `Lambda function ${fn.name} is tagged with team ${current}; change its tag in AWS if it really moves to ${team}.` });
      }
      // Tags go on the function, not on a version or alias: the ARN without its qualifier.
      if (current !== team) await gateway.tagFunction(fn.arn.split(':').slice(0, 7).join(':'), { [teamTagKey]: team });
      return { arn: fn.arn, name: fn.name, before: current, after: team, changed: current !== team };
    },
  };
};
export type OwnershipService = ReturnType<typeof createOwnershipService>;
