import type { DomainErrorKind } from "./domain-error.js";

/**
 * The canonical status code (google.rpc.Code) of each domain error kind. gRPC and Connect use
 * these same numbers, so this one table serves grpc-kit (grpc-js `status`) and the Connect edge
 * (`Code`) alike.
 */
export const statusCodeByKind: Readonly<Record<DomainErrorKind, number>> = {
  "invalid-argument": 3,
  "not-found": 5,
  "already-exists": 6,
  "permission-denied": 7,
  "resource-exhausted": 8,
  "failed-precondition": 9,
  aborted: 10,
  unavailable: 14,
  unauthenticated: 16,
};
