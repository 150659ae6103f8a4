import { permissionDenied } from "@switchyard/errors";
import type { EndUser } from "@switchyard/grpc-kit";
import { adminScope } from "./service-access-policy.js";

/** Whether the end user holds the admin scope (`switchyard:admin`). */
export function isAdmin(endUser: EndUser | undefined): boolean {
  return endUser?.scopes.includes(adminScope) ?? false;
}

/**
 * Ownership, checked in the handler BEFORE existence is revealed (AIP-211): throws
 * PERMISSION_DENIED "the authenticated user may not <action>" unless
 * - there is no end user (an internal caller acting as itself: the interceptor allowed it), or
 * - the end user is `owner`, or
 * - `access` is "read" and the end user is an admin.
 * `owner` undefined means the resource does not exist: a non-admin end user gets the same
 * PERMISSION_DENIED as for someone else's resource, so probing ids reveals nothing; internal
 * callers and admins get to see the NOT_FOUND the handler throws next.
 */
export function requireOwnership(
  endUser: EndUser | undefined,
  owner: string | undefined,
  access: "read" | "write",
  action: string,
): void {
  if (endUser === undefined) return;
  if (owner !== undefined && endUser.subject === owner) return;
  if (access === "read" && isAdmin(endUser)) return;
  throw permissionDenied(`the authenticated user may not ${action}`);
}

/**
 * For back-office methods: internal callers and admins only; any other end user gets
 * PERMISSION_DENIED "the authenticated user may not <action>".
 */
export function requireAdmin(endUser: EndUser | undefined, action: string): void {
  if (endUser === undefined || isAdmin(endUser)) return;
  throw permissionDenied(`the authenticated user may not ${action}`);
}
