// Runs in every test worker: points the AWS SDK at the moto server started by global-setup.
import { inject } from 'vitest';

process.env.AWS_ENDPOINT_URL = inject('motoEndpoint');
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
delete process.env.SECRETS_MANAGER_ENDPOINT;
delete process.env.AWS_PROFILE;
for (const key of Object.keys(process.env)) {
  if (key.startsWith('AWS_ENDPOINT_URL_')) delete process.env[key];
}
for (const key of ['ROTATION_STRATEGY', 'DB_ENGINE', 'EXCLUDE_CHARACTERS', 'PASSWORD_LENGTH', 'USERNAME_CHARACTER_LIMIT']) {
  delete process.env[key];
}
