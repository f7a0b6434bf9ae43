import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per function (Powertools); quiet locally unless DEMARCHE_LOG_LEVEL says otherwise. */
export function logger(serviceName: string): Logger {
  return new Logger({
    serviceName,
    logLevel: (process.env.DEMARCHE_LOG_LEVEL ??
      (process.env.AWS_LAMBDA_FUNCTION_NAME ? 'INFO' : 'WARN')) as 'INFO',
  });
}
