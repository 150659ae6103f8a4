import { eq } from "drizzle-orm";
import type { Customer, VersionedCustomerDirectory } from "../domain/customer.js";
import type { SqlExecutor } from "../persistence/order-repository.js";
import { customers } from "./projection-tables.js";

/**
 * The CustomerDirectory PlaceOrder uses: answers from the local, event-fed `customers`
 * projection, so ordering does not depend on user-service being up. Only a customer that is not
 * projected yet (registered a moment ago, its event still on the way) is asked of `fallback`,
 * the synchronous adapter to user-service.
 */
export function createProjectedCustomerDirectory(options: {
  db: SqlExecutor;
  fallback: VersionedCustomerDirectory;
}): VersionedCustomerDirectory {
  const { db, fallback } = options;
  const findVersionedCustomer: VersionedCustomerDirectory["findVersionedCustomer"] = async (
    customerId,
  ) => {
    const [row] = await db
      .select({
        customerId: customers.customerId,
        standing: customers.standing,
        sourceVersion: customers.sourceVersion,
      })
      .from(customers)
      .where(eq(customers.customerId, customerId));
    if (row === undefined) return fallback.findVersionedCustomer(customerId);
    return {
      customer: { customerId: row.customerId, standing: row.standing as Customer["standing"] },
      sourceVersion: row.sourceVersion,
    };
  };
  return {
    findVersionedCustomer,
    async findCustomer(customerId) {
      return (await findVersionedCustomer(customerId))?.customer;
    },
  };
}
