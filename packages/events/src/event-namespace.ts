import type { AnyEventType } from "./event-type.js";
import type { StreamDefinition } from "./stream-definition.js";

/**
 * A prefix for every subject and stream name: "" in production and the devstack, a unique
 * value per test (e.g. `createTestNats().prefix`) so parallel runs never see each other.
 */
export interface EventNamespace {
  prefix: string;
}

/** The production namespace: no prefix. */
export const rootNamespace: EventNamespace = { prefix: "" };

const prefixPattern = /^[A-Za-z0-9_-]*$/;

function checkedPrefix(ns: EventNamespace): string {
  if (!prefixPattern.test(ns.prefix)) {
    throw new Error(
      `event namespace prefix ${JSON.stringify(ns.prefix)} must match ${prefixPattern} (it becomes a subject token and part of a stream name)`,
    );
  }
  return ns.prefix;
}

/** Namespaces an un-namespaced subject (or subject filter such as `switchyard.user.v1.>`). */
export function namespacedSubject(subject: string, ns: EventNamespace): string {
  const prefix = checkedPrefix(ns);
  return prefix ? `${prefix}.${subject}` : subject;
}

/** The NATS subject an event type is published on in a namespace. */
export function subjectFor(type: AnyEventType, ns: EventNamespace): string {
  return namespacedSubject(type.subject, ns);
}

/** The JetStream stream name in a namespace: `<PREFIX>_<NAME>` (stream names are upper case). */
export function streamNameFor(stream: StreamDefinition, ns: EventNamespace): string {
  const prefix = checkedPrefix(ns);
  return prefix ? `${prefix.toUpperCase()}_${stream.name}` : stream.name;
}
