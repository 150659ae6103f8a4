import { type FieldViolation, invalidArgument, isDomainError } from "@switchyard/errors";
import { hasControlCharacter } from "./control-characters.js";
import { emailAddressProblem, normalizeEmailAddress } from "./email-address.js";
import { effectivePageSize, pageSizeProblem } from "./page-size.js";
import { decodePageToken, type PageCursor } from "./page-token.js";
import { isUserId } from "./user-id.js";

export const maxNameLength = 100;
export const maxSuspendReasonLength = 500;

export interface Registration {
  email: string;
  givenName: string;
  familyName: string;
}

export interface ProfileUpdate {
  userId: string;
  givenName: string;
  familyName: string;
  expectedVersion: bigint;
}

export interface Suspension {
  userId: string;
  reason: string;
}

export interface ListQuery {
  pageSize: number;
  after: PageCursor | undefined;
}

/** Normalized registration, or invalid-argument listing every bad field. */
export function validateRegistration(input: Registration): Registration {
  const violations: FieldViolation[] = [];
  const email = normalizeEmailAddress(input.email);
  addProblem(violations, "email", emailAddressProblem(email));
  const givenName = checkName(violations, "given_name", input.givenName);
  const familyName = checkOptionalName(violations, "family_name", input.familyName);
  throwIfAny(violations);
  return { email, givenName, familyName };
}

/** Normalized profile update, or invalid-argument listing every bad field. */
export function validateProfileUpdate(input: ProfileUpdate): ProfileUpdate {
  const violations: FieldViolation[] = [];
  const userId = checkUserId(violations, input.userId);
  const givenName = checkName(violations, "given_name", input.givenName);
  const familyName = checkOptionalName(violations, "family_name", input.familyName);
  if (input.expectedVersion < 1n) {
    addProblem(violations, "expected_version", "must be the version of the user you read (>= 1)");
  }
  throwIfAny(violations);
  return { userId, givenName, familyName, expectedVersion: input.expectedVersion };
}

/** Normalized suspension, or invalid-argument listing every bad field. */
export function validateSuspension(input: Suspension): Suspension {
  const violations: FieldViolation[] = [];
  const userId = checkUserId(violations, input.userId);
  const reason = input.reason.trim();
  if ([...reason].length > maxSuspendReasonLength) {
    addProblem(violations, "reason", `must be at most ${maxSuspendReasonLength} characters`);
  } else if (hasControlCharacter(reason)) {
    addProblem(violations, "reason", "must not contain control characters");
  }
  throwIfAny(violations);
  return { userId, reason };
}

/** A user id from a request, or invalid-argument on "user_id". */
export function validateUserId(userId: string): string {
  const violations: FieldViolation[] = [];
  const normalized = checkUserId(violations, userId);
  throwIfAny(violations);
  return normalized;
}

/** Page size and decoded cursor, or invalid-argument naming page_size and/or page_token. */
export function validateListQuery(input: { pageSize: number; pageToken: string }): ListQuery {
  const violations: FieldViolation[] = [];
  addProblem(violations, "page_size", pageSizeProblem(input.pageSize));
  let after: PageCursor | undefined;
  try {
    after = decodePageToken(input.pageToken);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    violations.push(...error.fieldViolations);
  }
  throwIfAny(violations);
  return { pageSize: effectivePageSize(input.pageSize), after };
}

/** A name everyone has: the given name (for people with one name, that one). */
function checkName(violations: FieldViolation[], field: string, raw: string): string {
  const name = raw.trim();
  if (name === "") {
    addProblem(violations, field, "must not be empty");
    return name;
  }
  return checkOptionalName(violations, field, name);
}

/**
 * A name some people do not have: the family name. Many people have a single name (mononyms
 * such as "Teller", and naming customs without family names), so empty is a valid answer.
 */
function checkOptionalName(violations: FieldViolation[], field: string, raw: string): string {
  const name = raw.trim();
  const length = [...name].length;
  if (length > maxNameLength) {
    addProblem(violations, field, `must be at most ${maxNameLength} characters`);
  } else if (hasControlCharacter(name)) {
    addProblem(violations, field, "must not contain control characters");
  }
  return name;
}

function checkUserId(violations: FieldViolation[], raw: string): string {
  const userId = raw.trim().toLowerCase();
  if (userId === "") addProblem(violations, "user_id", "must not be empty");
  else if (!isUserId(userId)) addProblem(violations, "user_id", "must be a UUID");
  return userId;
}

function addProblem(violations: FieldViolation[], field: string, problem: string | undefined) {
  if (problem !== undefined) violations.push({ field, description: problem });
}

function throwIfAny(violations: FieldViolation[]): void {
  if (violations.length > 0) throw invalidArgument(violations);
}
