import { requireAdmin } from "@switchyard/access-policy";
import { validateListQuery } from "../domain/user-validation.js";
import { createUserRepository, type UserPage } from "../persistence/user-repository.js";
import type { Invocation, UserUseCaseDependencies } from "./user-use-case-dependencies.js";

/** One page of every user (back office: admins and internal callers only). */
export async function listUsers(
  dependencies: UserUseCaseDependencies,
  request: { pageSize: number; pageToken: string },
  invocation: Invocation,
): Promise<UserPage> {
  const query = validateListQuery(request);
  requireAdmin(invocation.endUser, "list users");
  return createUserRepository(dependencies.db).listPage(query);
}
