import { AwsServiceError, validationMessage } from "../../core/errors";

/** Lambda error shapes (restJson1): `x-amzn-ErrorType` + `{"Type":"User","message":…}`. */
const user = { Type: "User" };

export const lambdaErrors = {
  resourceNotFound: (message: string) => new AwsServiceError("ResourceNotFoundException", message, 404, user),
  functionNotFound: (arn: string) =>
    new AwsServiceError("ResourceNotFoundException", `Function not found: ${arn}`, 404, user),
  aliasNotFound: (arn: string) =>
    new AwsServiceError("ResourceNotFoundException", `Cannot find alias arn: ${arn}`, 404, user),
  invalidParameter: (message: string) => new AwsServiceError("InvalidParameterValueException", message, 400, user),
  validation: (value: unknown, field: string, constraint: string) =>
    new AwsServiceError("ValidationException", validationMessage(value, field, constraint), 400),
  conflict: (message: string) => new AwsServiceError("ResourceConflictException", message, 409, user),
  updateInProgress: (arn: string) =>
    new AwsServiceError(
      "ResourceConflictException",
      `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`,
      409,
      user,
    ),
  preconditionFailed: (what: "GetFunction" | "GetAlias" = "GetFunction") =>
    new AwsServiceError(
      "PreconditionFailedException",
      `The Revision Id provided does not match the latest Revision Id. Call the ${what === "GetAlias" ? "GetAlias" : "GetFunction/GetAlias"} API to retrieve the latest Revision Id`,
      412,
      user,
    ),
  provisionedConfigNotFound: () =>
    new AwsServiceError(
      "ProvisionedConcurrencyConfigNotFoundException",
      "No Provisioned Concurrency Config found for this function",
      404,
      user,
    ),
  tooManyRequests: (reason: string, retryAfterSeconds = 1) =>
    new AwsServiceError(
      "TooManyRequestsException",
      "Rate exceeded",
      429,
      { Type: "User", Reason: reason, retryAfterSeconds: String(retryAfterSeconds) },
      { "Retry-After": String(retryAfterSeconds) },
    ),
  service: (message = "An internal error occurred.") =>
    new AwsServiceError("ServiceException", message, 500, { Type: "Service" }),
  unknownOperation: (method: string, path: string) =>
    new AwsServiceError("UnknownOperationException", `Unknown operation ${method} ${path}`, 404),
  serialization: (message: string) => new AwsServiceError("InvalidRequestContentException", message, 400, user),
};

/** Shapes whose message member is `Message` (capital M) rather than `message`. */
export const CAPITALIZED_MESSAGE_ERRORS = new Set(["ResourceNotFoundException", "ServiceException"]);
