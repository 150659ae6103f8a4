import * as grpc from "@grpc/grpc-js";

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

export interface CallUnaryOptions {
  metadata?: grpc.Metadata;
  /** Deadline from now; without it the client's default deadline applies. */
  deadlineMs?: number;
}

/**
 * Calls a generated client's unary method as a promise:
 * `await callUnary(client.getUser.bind(client), { userId }, { deadlineMs: 1000 })`.
 * Rejects with the grpc-js ServiceError (see `domainErrorFromGrpc`).
 */
export function callUnary<Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: CallUnaryOptions = {},
): Promise<Res> {
  const callOptions: Partial<grpc.CallOptions> =
    options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
  return new Promise<Res>((resolve, reject) => {
    method(request, options.metadata ?? new grpc.Metadata(), callOptions, (error, response) => {
      if (error) reject(error);
      else resolve(response);
    });
  });
}
