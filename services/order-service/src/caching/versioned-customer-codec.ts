import type { ValueCodec } from "@switchyard/cache";
import type { VersionedCustomer } from "../domain/customer.js";

/** A customer as the shared cache tier (NATS KV) stores it: JSON, the version as a string. */
export const versionedCustomerCodec: ValueCodec<VersionedCustomer> = {
  encode({ customer, sourceVersion }) {
    const json = { ...customer, sourceVersion: sourceVersion.toString() };
    return new TextEncoder().encode(JSON.stringify(json));
  },
  decode(bytes) {
    const json = JSON.parse(new TextDecoder().decode(bytes)) as {
      customerId: string;
      standing: string;
      sourceVersion: string;
    };
    if (json.standing !== "active" && json.standing !== "suspended") {
      throw new Error(`cached customer ${json.customerId} has unknown standing ${json.standing}`);
    }
    return {
      customer: { customerId: json.customerId, standing: json.standing },
      sourceVersion: BigInt(json.sourceVersion),
    };
  },
};
