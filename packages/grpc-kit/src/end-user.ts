import * as grpc from "@grpc/grpc-js";

/** An end user verified at the edge (JWT `sub` and `scope`) on whose behalf a workload calls. */
export interface EndUser {
  subject: string;
  scopes: string[];
}

/** Metadata an edge workload (gateway, web-bff) sets to say which end user it acts for. */
export const endUserSubjectKey = "x-switchyard-end-user";
/** The end user's scopes, space-separated (RFC 6749 scope syntax). */
export const endUserScopesKey = "x-switchyard-scopes";

// Visible ASCII without spaces: a subject travels as one header value and into log lines.
const subjectPattern = /^[\x21-\x7e]{1,255}$/;
// RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E.
const scopePattern = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;
const maxScopes = 64;

/** Why an end user cannot be written to or read from metadata, or undefined when it can. */
export function endUserProblem(endUser: EndUser): string | undefined {
  if (!subjectPattern.test(endUser.subject)) {
    return "subject must be 1-255 visible ASCII characters";
  }
  if (endUser.scopes.length > maxScopes) return `more than ${maxScopes} scopes`;
  if (!endUser.scopes.every((scope) => scopePattern.test(scope))) {
    return "a scope is not an RFC 6749 scope token";
  }
  return undefined;
}

/**
 * Adds the end user to the metadata of an outgoing call (what the gateway and web-bff send
 * downstream). Services believe it only from workloads the access policy lets assert end users.
 */
export function setEndUserMetadata(
  metadata: grpc.Metadata,
  endUser: EndUser | undefined,
): grpc.Metadata {
  metadata.remove(endUserSubjectKey);
  metadata.remove(endUserScopesKey);
  if (endUser === undefined) return metadata;
  const problem = endUserProblem(endUser);
  if (problem !== undefined) throw new Error(`cannot send end user: ${problem}`);
  metadata.set(endUserSubjectKey, endUser.subject);
  if (endUser.scopes.length > 0) metadata.set(endUserScopesKey, endUser.scopes.join(" "));
  return metadata;
}

/** Fresh metadata carrying `endUser` (none when undefined). */
export function endUserMetadata(endUser: EndUser | undefined): grpc.Metadata {
  return setEndUserMetadata(new grpc.Metadata(), endUser);
}

/** What an incoming call says about its end user, before anyone decided to believe it. */
export type EndUserAssertion =
  | { kind: "none" }
  | { kind: "asserted"; endUser: EndUser }
  | { kind: "malformed"; problem: string };

/** Reads the end-user metadata of an incoming call (see `setEndUserMetadata`). */
export function endUserAssertionOf(metadata: grpc.Metadata): EndUserAssertion {
  const subjects = metadata.get(endUserSubjectKey);
  const scopeValues = metadata.get(endUserScopesKey);
  if (subjects.length === 0) {
    return scopeValues.length === 0
      ? { kind: "none" }
      : { kind: "malformed", problem: `${endUserScopesKey} without ${endUserSubjectKey}` };
  }
  if (subjects.length > 1 || scopeValues.length > 1) {
    return { kind: "malformed", problem: "end-user metadata sent more than once" };
  }
  const [subject] = subjects;
  const [scopes] = scopeValues;
  if (typeof subject !== "string" || (scopes !== undefined && typeof scopes !== "string")) {
    return { kind: "malformed", problem: "end-user metadata must be text" };
  }
  const endUser = { subject, scopes: scopes === undefined ? [] : scopes.split(" ") };
  const problem = endUserProblem(endUser);
  return problem === undefined ? { kind: "asserted", endUser } : { kind: "malformed", problem };
}

// Keyed by the call's own Metadata object, like the authenticated caller: only in-process code
// (the authorization interceptor, after checking WHO asserts the user) can set it.
const endUsers = new WeakMap<grpc.Metadata, EndUser>();

/**
 * Records the end user a call acts for, once the authorization interceptor has checked that
 * the calling workload may assert end users. `CallContext.endUser` reads it.
 */
export function setAuthenticatedEndUser(metadata: grpc.Metadata, endUser: EndUser): void {
  endUsers.set(metadata, { subject: endUser.subject, scopes: [...endUser.scopes] });
}

/** The end user recorded by `setAuthenticatedEndUser` for this call, if any. */
export function authenticatedEndUserOf(metadata: grpc.Metadata): EndUser | undefined {
  return endUsers.get(metadata);
}
