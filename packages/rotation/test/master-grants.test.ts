import { describe, expect, it } from 'vitest';
import { grantMasterCli, masterGrantSid, parsePolicyDocument, revokeMasterCli, withMasterGrant, withoutMasterGrant } from '../src/master-grants.ts';

const m1 = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/master-one-AbCdEf';
const m2 = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/master-two-GhIjKl';

describe('Master secret grants', () => {
  it('When a second master is granted on a role, then the first master\u2019s statement stays and a rerun changes nothing', () => {
    const first = withMasterGrant(parsePolicyDocument(null), m1).document;
    const second = withMasterGrant(first, m2);
    const again = withMasterGrant(second.document, m2);

    expect(second.changed).toBe(true);
    expect(second.document.Statement.map((s) => s.Resource)).toEqual([m1, m2]);
    expect(again).toEqual({ document: second.document, changed: false });
  });

  it('When the Sid is derived, then it is IAM-valid, the same for one master and different for two', () => {
    expect(masterGrantSid(m1)).toMatch(/^[A-Za-z0-9]+$/);
    expect(masterGrantSid(m1)).toBe(masterGrantSid(m1));
    expect(masterGrantSid(m1)).not.toBe(masterGrantSid(m2));
  });

  it('When a policy an older console wrote (one statement, no Sid, URL-encoded) is read, then its master counts as granted and can be removed', () => {
    const legacy = encodeURIComponent(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: 'secretsmanager:GetSecretValue', Resource: m1, Effect: 'Allow' }] }),
    );
    const doc = parsePolicyDocument(legacy);

    expect(withMasterGrant(doc, m1).changed).toBe(false);
    expect(withMasterGrant(doc, m2).document.Statement.map((s) => s.Resource)).toEqual([m1, m2]);
    expect(withoutMasterGrant(doc, m1)).toEqual({ document: null, changed: true });
  });

  it('When one master is removed, then the others stay; removing it again changes nothing; the last one leaves no policy', () => {
    const both = withMasterGrant(withMasterGrant(parsePolicyDocument(null), m1).document, m2).document;
    const one = withoutMasterGrant(both, m1);

    expect(one.document?.Statement.map((s) => s.Resource)).toEqual([m2]);
    expect(withoutMasterGrant(one.document!, m1)).toEqual({ document: one.document, changed: false });
    expect(withoutMasterGrant(one.document!, m2)).toEqual({ document: null, changed: true });
  });

  it('When the CLI is written, then it reads the policy, puts in this master\u2019s statement and writes it back; removing the last deletes the policy', () => {
    expect(
      grantMasterCli('shared-role', m1)
        .split('\n')
        .map((l) => l.split(' ').slice(0, 3).join(' ')),
    ).toEqual(['aws iam get-role-policy', 'jq --argjson s', 'aws iam put-role-policy']);
    expect(revokeMasterCli('shared-role', m1, true)).toBe('aws iam delete-role-policy --role-name shared-role --policy-name SecretsManagerMasterSecretAccess');
    expect(revokeMasterCli('shared-role', m1, false)).toContain(`--arg arn ${m1}`);
  });
});
