import { describe, expect, it } from 'vitest';
import { secretPath, secretRotationPath, secretTabOf, secretTabPath, workflowPath } from './paths.ts';

describe('secretPath', () => {
  it('When the name has "/", "+", "=", "@", then it is one encoded path segment', () => {
    // Arrange
    const secret = { name: 'prod/db+x=1@y.z-2', arn: 'arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbCdEf' };

    // Act / Assert
    expect(secretPath(secret)).toBe('/secrets/prod%2Fdb%2Bx%3D1%40y.z-2');
    expect(secretRotationPath(secret)).toBe('/secrets/prod%2Fdb%2Bx%3D1%40y.z-2/rotation');
  });

  it('When the wizard is opened for a team, then the team is its encoded ?team=', () => {
    // Arrange
    const secret = { name: 'prod/db', arn: 'arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbCdEf' };

    // Act / Assert
    expect(secretRotationPath(secret, 'pay ments&x')).toBe('/secrets/prod%2Fdb/rotation?team=pay%20ments%26x');
  });

  it('When the name is only dots, then the ARN is used, since ".." would be read as a parent path', () => {
    // Arrange
    const secret = { name: '..', arn: 'arn:aws:secretsmanager:us-east-1:1:secret:..-AbCdEf' };

    // Act / Assert
    expect(secretPath(secret)).toBe(`/secrets/${encodeURIComponent(secret.arn)}`);
  });
});

describe('Secret page tabs', () => {
  it('When a tab is asked for, then it is the page\u2019s ?tab=, and the rotation tab is the page itself', () => {
    // Arrange
    const secret = { name: 'prod/db' };

    // Act / Assert
    expect(secretTabPath(secret, 'timeline')).toBe('/secrets/prod%2Fdb?tab=timeline');
    expect(secretTabPath(secret, 'rotation')).toBe('/secrets/prod%2Fdb');
  });

  it('When ?tab= is missing or names no tab, then the page opens at its rotation tab', () => {
    // Act / Assert
    expect(secretTabOf('versions')).toBe('versions');
    expect(secretTabOf(null)).toBe('rotation');
    expect(secretTabOf('value')).toBe('rotation');
  });
});

describe('workflowPath', () => {
  it('When a workflow id is given, then it is one encoded path segment', () => {
    // Act / Assert
    expect(workflowPath('wf/1 2')).toBe('/workflows/wf%2F1%202');
  });
});
