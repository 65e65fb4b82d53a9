import http from "node:http";

/**
 * A stand-in for AWS Secrets Manager: no Secrets Manager can run on this machine, so this serves
 * GetSecretValue over the real wire protocol (awsJson1_1, X-Amz-Target) to the real SDK client,
 * which reaches it through AWS_ENDPOINT_URL_SECRETS_MANAGER. It answers one secret and counts calls.
 */
export interface SecretsEndpoint {
  url: string;
  calls: number;
  secretString: string;
  close(): Promise<void>;
}

export async function startSecretsManagerEndpoint(secretId: string, secretString: string): Promise<SecretsEndpoint> {
  const endpoint: SecretsEndpoint = { url: "", calls: 0, secretString, close: async () => {} };
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const target = request.headers["x-amz-target"];
      const input = JSON.parse(body || "{}") as { SecretId?: string };
      response.setHeader("content-type", "application/x-amz-json-1.1");
      if (target !== "secretsmanager.GetSecretValue" || input.SecretId !== secretId) {
        response.statusCode = 400;
        response.end(
          JSON.stringify({
            __type: "ResourceNotFoundException",
            message: "Secrets Manager can't find the specified secret.",
          }),
        );
        return;
      }
      endpoint.calls++;
      response.end(
        JSON.stringify({
          ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretId}`,
          Name: secretId,
          SecretString: endpoint.secretString,
          VersionId: "v1",
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  endpoint.url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  endpoint.close = () => new Promise((resolve) => server.close(() => resolve()));
  return endpoint;
}
