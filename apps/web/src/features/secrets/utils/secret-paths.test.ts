import { describe, expect, it } from 'vitest';
import { secretPath, secretRotationPath } from './secret-paths.ts';

describe('secretPath', () => {
  it('When the name has "/", "+", "=", "@", then it is one encoded path segment', () => {
    // Arrange
    const secret = { name: 'prod/db+x=1@y.z-2', arn: 'arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbCdEf' };

    // Act / Assert
    expect(secretPath(secret)).toBe('/secrets/prod%2Fdb%2Bx%3D1%40y.z-2');
    expect(secretRotationPath(secret)).toBe('/secrets/prod%2Fdb%2Bx%3D1%40y.z-2/rotation');
  });

  it('When the name is only dots, then the ARN is used, since ".." would be read as a parent path', () => {
    // Arrange
    const secret = { name: '..', arn: 'arn:aws:secretsmanager:us-east-1:1:secret:..-AbCdEf' };

    // Act / Assert
    expect(secretPath(secret)).toBe(`/secrets/${encodeURIComponent(secret.arn)}`);
  });
});
