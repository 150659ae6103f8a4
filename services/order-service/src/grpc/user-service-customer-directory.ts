import * as grpc from "@grpc/grpc-js";
import {
  type User,
  type UserServiceClient,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { unavailable } from "@switchyard/errors";
import { callUnary } from "@switchyard/grpc-kit";
import type { Customer, VersionedCustomerDirectory } from "../domain/customer.js";

// Statuses that mean "could not find out right now": the caller may retry later.
const transientCodes = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.CANCELLED,
]);

/**
 * The anti-corruption layer between the orders context and user-service: the ONLY place that
 * speaks user-service's language (User, UserStatus, user_id). It asks GetUser, with its own
 * deadline, and translates the answer into a Customer. NOT_FOUND means "no such customer";
 * unavailability becomes `unavailable "customer directory is unavailable"`; any other status is
 * a bug between the two services and surfaces as an internal error (logged, never sent).
 */
export function createUserServiceCustomerDirectory(options: {
  client: UserServiceClient;
  deadlineMs: number;
}): VersionedCustomerDirectory {
  const { client, deadlineMs } = options;
  const findVersionedCustomer: VersionedCustomerDirectory["findVersionedCustomer"] = async (
    customerId,
  ) => {
    let user: User | undefined;
    try {
      ({ user } = await callUnary(
        client.getUser.bind(client),
        { userId: customerId },
        { deadlineMs },
      ));
    } catch (error) {
      const code = (error as Partial<grpc.ServiceError>).code;
      if (code === grpc.status.NOT_FOUND) return undefined;
      if (code !== undefined && transientCodes.has(code)) {
        throw unavailable("customer directory is unavailable", error);
      }
      throw new Error(
        `user-service GetUser failed with ${grpc.status[code ?? grpc.status.UNKNOWN]}`,
        {
          cause: error,
        },
      );
    }
    if (user === undefined) throw new Error("user-service GetUser answered without a user");
    return { customer: toCustomer(user), sourceVersion: user.version };
  };
  return {
    findVersionedCustomer,
    async findCustomer(customerId) {
      return (await findVersionedCustomer(customerId))?.customer;
    },
  };
}

function toCustomer(user: User): Customer {
  switch (user.status) {
    case UserStatus.USER_STATUS_ACTIVE:
      return { customerId: user.userId, standing: "active" };
    case UserStatus.USER_STATUS_SUSPENDED:
      return { customerId: user.userId, standing: "suspended" };
    default:
      // A status added to the user contract later must be mapped here deliberately.
      throw new Error(
        `user-service returned user ${user.userId} with unmapped status ${user.status}`,
      );
  }
}
