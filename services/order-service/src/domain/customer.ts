/**
 * The orders context's view of whoever places an order. It is deliberately NOT the user-service
 * `User`: the orders context only needs to know that a customer exists and may order.
 */
export interface Customer {
  customerId: string;
  standing: "active" | "suspended";
}

/**
 * The port through which the orders context looks customers up. Today an adapter asks
 * user-service over gRPC; a local, event-fed projection can implement the same port later
 * without touching the domain or the handlers.
 */
export interface CustomerDirectory {
  /** The customer, or undefined when no such customer exists. Throws unavailable when it cannot tell. */
  findCustomer(customerId: string): Promise<Customer | undefined>;
}

/**
 * A customer with the version of the user data it was made from (user-service's user version;
 * the projection's `source_version`). The customers cache keeps nothing older than the newest
 * user event it has seen, so a lagging copy is never held.
 */
export interface VersionedCustomer {
  customer: Customer;
  sourceVersion: bigint;
}

/** A CustomerDirectory that can also tell the source version of what it answers. */
export interface VersionedCustomerDirectory extends CustomerDirectory {
  findVersionedCustomer(customerId: string): Promise<VersionedCustomer | undefined>;
}
