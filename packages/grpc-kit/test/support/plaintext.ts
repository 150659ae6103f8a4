import * as grpc from "@grpc/grpc-js";

// grpc-kit's own tests are about the server and client mechanics (health, reflection, errors,
// deadlines, drain), not transport security, so they choose plaintext — explicitly, because
// grpc-kit has no insecure default. mTLS is proven in @switchyard/workload-identity and the hosts.

/** Plaintext server credentials, chosen on purpose by a grpc-kit test. */
export const plaintextServer = (): grpc.ServerCredentials =>
  grpc.ServerCredentials.createInsecure();

/** Plaintext channel credentials, chosen on purpose by a grpc-kit test. */
export const plaintextClient = (): grpc.ChannelCredentials => grpc.credentials.createInsecure();
