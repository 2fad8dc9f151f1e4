import { randomUUID } from 'node:crypto';

/**
 * Secrets Manager's events as EventBridge delivers them, shaped as AWS documents them: the
 * EventBridge envelope (version, id, detail-type, source, account, time, region, resources, detail)
 * around the CloudTrail record (Secrets Manager User Guide, "Log AWS Secrets Manager events with AWS
 * CloudTrail" and "Match Secrets Manager events with EventBridge"; CloudTrail User Guide, "AWS service
 * events"). Service events (RotationStarted, RotationSucceeded, RotationFailed, RotationAbandoned) name
 * the secret in `additionalEventData.SecretId`; API calls in `requestParameters.secretId`.
 */
const envelope = (detailType: string, account: string, region: string, detail: Record<string, unknown>) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': detailType,
  source: 'aws.secretsmanager',
  account,
  time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region,
  resources: [],
  detail,
});

const place = (arn: string) => {
  const [, , , region = 'us-east-1', account = '123456789012'] = arn.split(':');
  return { region, account };
};

/** RotationStarted, RotationSucceeded, RotationFailed or RotationAbandoned for the secret `arn`. */
export const serviceEvent = (eventName: string, arn: string) => {
  const { region, account } = place(arn);
  return envelope('AWS Service Event via CloudTrail', account, region, {
    eventVersion: '1.08',
    userIdentity: { accountId: account, invokedBy: 'secretsmanager.amazonaws.com' },
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'secretsmanager.amazonaws.com',
    eventName,
    awsRegion: region,
    sourceIPAddress: 'secretsmanager.amazonaws.com',
    userAgent: 'secretsmanager.amazonaws.com',
    requestParameters: null,
    responseElements: null,
    additionalEventData: { SecretId: arn },
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  });
};

/** An API call (RotateSecret, CancelRotateSecret, UpdateSecretVersionStage, PutSecretValue, DeleteSecret) naming the secret `secretId` (a name or an ARN) in `arn`'s account and region. */
export const apiCallEvent = (eventName: string, arn: string, secretId: string = arn, requestParameters: Record<string, unknown> = {}) => {
  const { region, account } = place(arn);
  return envelope('AWS API Call via CloudTrail', account, region, {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:rotation-console',
      arn: `arn:aws:sts::${account}:assumed-role/Admin/rotation-console`,
      accountId: account,
      accessKeyId: 'ASIAEXAMPLE',
    },
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'secretsmanager.amazonaws.com',
    eventName,
    awsRegion: region,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { secretId, ...requestParameters },
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `secretsmanager.${region}.amazonaws.com` },
  });
};
