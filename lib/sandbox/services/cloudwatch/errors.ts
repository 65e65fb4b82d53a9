import { AwsServiceError } from "../../core/errors";

/**
 * CloudWatch error shapes with their awsQuery codes and modelled statuses (AWS_BEHAVIOUR.md §1.4).
 * The JSON protocol sends the shape in `__type` and the query code in `x-amzn-query-error`; the
 * awsQuery protocol sends the query code in the XML `<Code>`.
 */
export const QUERY_CODE_BY_SHAPE: Record<string, string> = {
  InvalidParameterValueException: "InvalidParameterValue",
  InvalidParameterCombinationException: "InvalidParameterCombination",
  MissingRequiredParameterException: "MissingParameter",
  InvalidNextToken: "InvalidNextToken",
  InvalidFormatFault: "InvalidFormat",
  LimitExceededFault: "LimitExceeded",
  ResourceNotFound: "ResourceNotFound",
  ValidationException: "ValidationError",
  InternalServiceFault: "InternalServiceError",
  Throttling: "Throttling",
  InvalidAction: "InvalidAction",
  UnknownOperationException: "UnknownOperationException",
  SerializationException: "SerializationException",
};

export const NAMESPACE_BY_SHAPE: Record<string, string> = {
  ValidationException: "com.amazon.coral.validate",
  SerializationException: "com.amazon.coral.service",
  UnknownOperationException: "com.amazon.coral.service",
  Throttling: "com.amazon.coral.availability",
};

export const cloudWatchErrors = {
  validation: (message: string) => new AwsServiceError("ValidationException", message, 400),
  invalidParameterValue: (message: string) => new AwsServiceError("InvalidParameterValueException", message, 400),
  invalidParameterCombination: (message: string) =>
    new AwsServiceError("InvalidParameterCombinationException", message, 400),
  missingParameter: (name: string) =>
    new AwsServiceError("MissingRequiredParameterException", `The parameter ${name} is required.`, 400),
  invalidNextToken: () => new AwsServiceError("InvalidNextToken", "The service returned an invalid NextToken.", 400),
  unknownOperation: (operation: string) =>
    new AwsServiceError("UnknownOperationException", `Unknown operation ${operation}`, 400),
  invalidAction: (action: string) =>
    new AwsServiceError("InvalidAction", `The action ${action} is not valid for this web service.`, 400),
  serialization: (message: string) => new AwsServiceError("SerializationException", message, 400),
  throttling: () => new AwsServiceError("Throttling", "Rate exceeded", 400),
  internal: () => new AwsServiceError("InternalServiceFault", "Internal service error (injected fault)", 500),
};
