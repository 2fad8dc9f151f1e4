// Pure logic: error classification, SecretString parsing, configuration, grant rewriting.
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.ts';
import { retargetGrant, mysqlFlavour } from '../src/db/mysql.ts';
import { scramSha256Verifier } from '../src/db/postgres.ts';
import { Redactor, RotationError, classifyError, describeError, toRotationError } from '../src/errors.ts';
import { alternateUsername, parseDbSecret, sameServer, sslSetting } from '../src/secret.ts';
import { ROTATION_TEMPLATE_PARAMETER_NAMES, toCloudFormationParameters } from '../src/template.ts';

describe('error classification', () => {
  it.each([
    ['a refused connection', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'network'],
    ['a timeout', { code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' }, 'network'],
    ['an unknown host', { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db.example' }, 'network'],
    ['happy-eyeballs refusing every address', Object.assign(new AggregateError([{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }]), {}), 'network'],
    ['pg connection timeout', new Error('Connection terminated due to connection timeout'), 'network'],
    ['pg wrong password (28P01)', { code: '28P01', message: 'password authentication failed for user "app"' }, 'authentication'],
    ['pg insufficient privilege (42501)', { code: '42501', message: 'permission denied to create role' }, 'permissions'],
    ['pg unknown database (3D000)', { code: '3D000', message: 'database "nope" does not exist' }, 'secret-format'],
    ['mysql access denied (1045)', { code: 'ER_ACCESS_DENIED_ERROR', errno: 1045, message: "Access denied for user 'app'@'%'" }, 'authentication'],
    ['mysql access denied by errno only', { errno: 1045, message: 'Access denied' }, 'authentication'],
    ['mysql missing privilege (1227)', { code: 'ER_SPECIFIC_ACCESS_DENIED_ERROR', errno: 1227, message: 'Access denied; you need CREATE USER' }, 'permissions'],
    ['AWS AccessDeniedException', { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 }, message: 'not authorized' }, 'permissions'],
    ['AWS HTTP 403', { name: 'Forbidden', $metadata: { httpStatusCode: 403 }, message: '' }, 'permissions'],
    ['AWS ResourceNotFoundException', { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 }, message: 'no such secret' }, 'rotation-state'],
    ['a JSON syntax error', new SyntaxError('Unexpected token'), 'internal'],
  ])('When the error is %s, then it is classified as %s', (_name, error, expected) => {
    // Act
    const category = classifyError(error);

    // Assert
    expect(category).toBe(expected);
  });

  it('When a driver error quotes the SQL with a password, then the wrapped error and its detail no longer hold the password', () => {
    // Arrange
    const redactor = new Redactor();
    redactor.add('S3cr3t!pw');
    const driverError = Object.assign(new Error("You have an error in your SQL syntax near 'S3cr3t!pw')"), {
      code: 'ER_PARSE_ERROR',
      sql: "SET PASSWORD = PASSWORD('S3cr3t!pw')",
    });

    // Act
    const wrapped = toRotationError(driverError, 'SET PASSWORD failed', redactor);

    // Assert
    expect(wrapped).toBeInstanceOf(RotationError);
    expect(wrapped.category).toBe('database');
    expect(wrapped.message).toBe("Database error: SET PASSWORD failed (ER_PARSE_ERROR: You have an error in your SQL syntax near '****'))");
    expect(JSON.stringify(wrapped)).not.toContain('S3cr3t!pw');
    expect(wrapped.stack).not.toContain('S3cr3t!pw');
  });

  it('When a secret holds quotes or backslashes, then it is masked in plain text and inside JSON alike', () => {
    // Arrange
    const redactor = new Redactor();
    redactor.add('a"b\\c');

    // Act
    const plain = redactor.redact('x a"b\\c y');
    const json = redactor.redact(JSON.stringify({ v: 'x a"b\\c y' }));

    // Assert
    expect(plain).toBe('x **** y');
    expect(json).toBe('{"v":"x **** y"}');
  });

  it('When a message is very long, then its description is cut to 300 characters', () => {
    // Act
    const text = describeError({ code: 'X', message: 'y'.repeat(1000) });

    // Assert
    expect(text.length).toBeLessThanOrEqual(301);
  });
});

describe('SecretString parsing', () => {
  const base = { engine: 'postgres', host: 'db.example', username: 'app', password: 'pw' };

  it('When optional fields are absent, then the engine defaults apply (postgres: dbname postgres, port 5432; mysql: no dbname, port 3306)', () => {
    // Act
    const pgSecret = parseDbSecret(JSON.stringify(base), 'AWSCURRENT secret');
    const mySecret = parseDbSecret(JSON.stringify({ ...base, engine: 'aurora-mysql' }), 'AWSCURRENT secret');

    // Assert
    expect(pgSecret).toMatchObject({ family: 'postgres', port: 5432, dbname: 'postgres', ssl: { use: true, fallBack: true } });
    expect(mySecret).toMatchObject({ family: 'mysql', port: 3306, dbname: undefined });
  });

  it.each([
    ['postgres', 'postgres'],
    ['aurora-postgresql', 'postgres'],
    ['mysql', 'mysql'],
    ['mariadb', 'mysql'],
    ['aurora-mysql', 'mysql'],
  ])('When engine is %s, then the %s driver family serves it', (engine, family) => {
    // Act
    const secret = parseDbSecret(JSON.stringify({ ...base, engine }), 'x');

    // Assert
    expect(secret.family).toBe(family);
  });

  it('When port is a numeric string and unknown keys are present, then the port is parsed and the keys are kept', () => {
    // Act
    const secret = parseDbSecret(JSON.stringify({ ...base, port: '6543', dbClusterIdentifier: 'c1' }), 'x');

    // Assert
    expect(secret.port).toBe(6543);
    expect(secret.raw.dbClusterIdentifier).toBe('c1');
  });

  it.each([
    ['{', /is not valid JSON/],
    ['[]', /must be a JSON object/],
    [JSON.stringify({ ...base, engine: undefined }), /engine key is missing/],
    [JSON.stringify({ ...base, host: undefined }), /host key is missing/],
    [JSON.stringify({ ...base, password: 42 }), /password in the .* must be a non-empty string/],
    [JSON.stringify({ ...base, port: 70000 }), /port .* between 1 and 65535/],
    [JSON.stringify({ ...base, masterarn: 7 }), /masterarn .* must be a string/],
  ])('When the SecretString is %s, then parsing fails as a secret format error without quoting values', (text, expected) => {
    // Act
    const error = (() => {
      try {
        parseDbSecret(text, 'AWSCURRENT secret');
      } catch (e) {
        return e as RotationError;
      }
      throw new Error('no error');
    })();

    // Assert
    expect(error).toBeInstanceOf(RotationError);
    expect(error.category).toBe('secret-format');
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain('"pw"');
  });

  it.each([
    [undefined, { use: true, fallBack: true }],
    [true, { use: true, fallBack: false }],
    ['TRUE', { use: true, fallBack: false }],
    [false, { use: false, fallBack: false }],
    ['false', { use: false, fallBack: false }],
    ['maybe', { use: true, fallBack: true }],
    [1, { use: true, fallBack: true }],
  ])('When ssl is %s, then TLS is %j', (value, expected) => {
    expect(sslSetting(value)).toEqual(expected);
  });

  it('When alternating, then name and name_clone swap and a clone beyond the limit is refused', () => {
    expect(alternateUsername('app', 16)).toBe('app_clone');
    expect(alternateUsername('app_clone', 16)).toBe('app');
    expect(alternateUsername('abcdefghij', 16)).toBe('abcdefghij_clone');
    expect(() => alternateUsername('abcdefghijk', 16)).toThrow(/would exceed 16 characters/);
  });

  it('When hosts differ only by case, then they are the same server; a different port is not', () => {
    expect(sameServer({ host: 'DB.example', port: 5432 }, { host: 'db.example', port: 5432 })).toBe(true);
    expect(sameServer({ host: 'db.example', port: 5432 }, { host: 'db.example', port: 5433 })).toBe(false);
  });
});

describe('configuration from the environment', () => {
  it('When nothing is set, then the defaults match AWS templates (single user, 32 characters, excluding /@"\'\\)', () => {
    // Act
    const config = configFromEnv({});

    // Assert
    expect(config).toMatchObject({
      strategy: 'single-user',
      engineFamily: undefined,
      secretsManagerEndpoint: undefined,
      usernameCharacterLimit: undefined,
      password: { excludeCharacters: '/@"\'\\', length: 32, requireEachIncludedType: true, excludeNumbers: false },
    });
  });

  it('When variables are set, then they are honoured', () => {
    // Act
    const config = configFromEnv({
      ROTATION_STRATEGY: 'multi-user',
      DB_ENGINE: 'mariadb',
      SECRETS_MANAGER_ENDPOINT: 'https://sm.example',
      EXCLUDE_CHARACTERS: '',
      PASSWORD_LENGTH: '40',
      EXCLUDE_PUNCTUATION: 'true',
      USERNAME_CHARACTER_LIMIT: '32',
    });

    // Assert
    expect(config).toMatchObject({
      strategy: 'alternating-users',
      engineFamily: 'mysql',
      secretsManagerEndpoint: 'https://sm.example',
      usernameCharacterLimit: 32,
      password: { excludeCharacters: '', length: 40, excludePunctuation: true },
    });
  });

  it.each([
    [{ ROTATION_STRATEGY: 'both' }, /ROTATION_STRATEGY must be one of/],
    [{ DB_ENGINE: 'oracle' }, /DB_ENGINE must be one of/],
    [{ PASSWORD_LENGTH: '3' }, /PASSWORD_LENGTH must be an integer between 4 and 4096/],
    [{ PASSWORD_LENGTH: 'long' }, /PASSWORD_LENGTH must be an integer/],
  ])('When %j, then configuration fails with a configuration error', (env, expected) => {
    expect(() => configFromEnv(env)).toThrow(expected);
  });
});

describe('MySQL grant copying', () => {
  it.each([
    ["GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*ABC'", "GRANT USAGE ON *.* TO 'app_clone'@'%'"],
    ['GRANT SELECT, INSERT ON `shop`.* TO `app`@`%`', "GRANT SELECT, INSERT ON `shop`.* TO 'app_clone'@'%'"],
    ['GRANT SELECT ON `a TO b`.`t` TO `app`@`%` WITH GRANT OPTION', "GRANT SELECT ON `a TO b`.`t` TO 'app_clone'@'%' WITH GRANT OPTION"],
    ['GRANT `reporting` TO `app`@`%` WITH ADMIN OPTION', "GRANT `reporting` TO 'app_clone'@'%' WITH ADMIN OPTION"],
    ["GRANT SELECT ON `shop`.* TO 'app'@'%'", "GRANT SELECT ON `shop`.* TO 'app_clone'@'%'"],
  ])('When SHOW GRANTS says %s, then the clone gets %s', (grant, expected) => {
    expect(retargetGrant(grant, 'app', "'app_clone'@'%'")).toBe(expected);
  });

  it('When a grant names another grantee, then it is not copied', () => {
    expect(retargetGrant('GRANT SELECT ON *.* TO `other`@`%`', 'app', "'app_clone'@'%'")).toBeUndefined();
  });

  it.each([
    ['10.11.6-MariaDB-0+deb12u1', { mariadb: true, major: 10, minor: 11 }],
    ['8.0.35', { mariadb: false, major: 8, minor: 0 }],
    ['5.7.44-log', { mariadb: false, major: 5, minor: 7 }],
  ])('When the server version is %s, then the flavour is %j', (version, expected) => {
    expect(mysqlFlavour(version)).toEqual(expected);
  });
});

describe('PostgreSQL password verifier', () => {
  it("When a verifier is computed, then it has PostgreSQL's SCRAM-SHA-256 format and a fresh salt each time", () => {
    // Act
    const a = scramSha256Verifier('pencil');
    const b = scramSha256Verifier('pencil');
    const fixed = scramSha256Verifier('pencil', Buffer.alloc(16, 1), 4096);

    // Assert
    expect(a).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(fixed).toBe(scramSha256Verifier('pencil', Buffer.alloc(16, 1), 4096));
    expect(a).not.toContain('pencil');
  });
});

describe('template parameters', () => {
  it('When deployment values are given, then every one becomes a CloudFormation parameter and lists are joined', () => {
    // Act
    const params = toCloudFormationParameters({
      functionName: 'rotate',
      codeS3Bucket: 'b',
      codeS3Key: 'k',
      rotationStrategy: 'alternating-users',
      masterSecretArn: 'arn:master',
      vpcSubnetIds: ['subnet-1', 'subnet-2'],
      passwordLength: 40,
    });

    // Assert
    expect(params).toEqual([
      { ParameterKey: 'functionName', ParameterValue: 'rotate' },
      { ParameterKey: 'rotationStrategy', ParameterValue: 'alternating-users' },
      { ParameterKey: 'masterSecretArn', ParameterValue: 'arn:master' },
      { ParameterKey: 'vpcSubnetIds', ParameterValue: 'subnet-1,subnet-2' },
      { ParameterKey: 'passwordLength', ParameterValue: '40' },
      { ParameterKey: 'codeS3Bucket', ParameterValue: 'b' },
      { ParameterKey: 'codeS3Key', ParameterValue: 'k' },
    ]);
    expect(params.every((p) => ROTATION_TEMPLATE_PARAMETER_NAMES.includes(p.ParameterKey))).toBe(true);
  });

  it('When alternating users are asked for without a master secret, then building the parameters fails', () => {
    expect(() => toCloudFormationParameters({ functionName: 'f', codeS3Bucket: 'b', codeS3Key: 'k', rotationStrategy: 'alternating-users' })).toThrow(
      /masterSecretArn is required/,
    );
  });
});
