// Public API of @rotation-console/rotation-functions.
export { handler, createRotationHandler, ROTATION_STEPS } from './handler.ts';
export type { RotationEvent, RotationStep, HandlerOptions, RotationHandler } from './handler.ts';
export { PREFLIGHT_KINDS, PREFLIGHT_CHECKS, isPreflightEvent } from './preflight.ts';
export type { PreflightEvent, PreflightAnswer, PreflightVerdict, PreflightCheckName, PreflightKind } from './preflight.ts';
export { configFromEnv, ENV as ROTATION_ENV_VARS, DEFAULT_EXCLUDE_CHARACTERS, DEFAULT_PASSWORD_LENGTH, ROTATION_STRATEGIES } from './config.ts';
export type { RotationConfig, RotationStrategy, PasswordPolicy } from './config.ts';
export { RotationError, FAILURE_CATEGORIES, classifyError } from './errors.ts';
export type { FailureCategory } from './errors.ts';
export { ENGINE_FAMILIES, parseDbSecret, alternateUsername } from './secret.ts';
export type { DbSecret, EngineFamily } from './secret.ts';
export {
  ROTATION_TEMPLATE_PATH,
  ROTATION_TEMPLATE_PARAMETERS,
  ROTATION_TEMPLATE_PARAMETER_NAMES,
  ROTATION_TEMPLATE_RESOURCES,
  ROTATION_ENGINES,
  readRotationTemplate,
  toCloudFormationParameters,
} from './template.ts';
export type { RotationTemplateParameterName, RotationTemplateParameters, RotationEngine, TemplateParameterSpec } from './template.ts';
export { buildRotationFunctionZip, bundleRotationFunction, LAMBDA_HANDLER, LAMBDA_RUNTIME, BUNDLE_FILE_NAME } from './build.ts';
export type { RotationFunctionZip, BuildOptions } from './build.ts';
