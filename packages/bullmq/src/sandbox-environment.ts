/** The environment variable that tells the sandbox entry which processor file to run. */
export const processorVariable = 'CLAIMCHECK_BULLMQ_PROCESSOR';
/** The environment variable carrying the sandbox's manager settings as JSON; unset means `configFromEnv()`. */
export const managerConfigVariable = 'CLAIMCHECK_BULLMQ_MANAGER_CONFIG';
