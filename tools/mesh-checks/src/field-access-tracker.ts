/**
 * Finds fields a validator never looked at. kubernetes-models' validators are compiled from the
 * Kubernetes OpenAPI schema, which does not forbid unknown properties — so a misspelt field
 * (`imagePullPolicyy`, a probe's `grcp`) passes validation and is silently dropped by the API
 * server. But a compiled validator reads every property its schema declares, and enumerates the
 * keys of free-form maps (labels, annotations, ConfigMap data). Running it on a proxy that
 * records those reads leaves exactly the unknown fields unread.
 */
export interface FieldAccessTracker<T> {
  /** The proxied value to hand to the validator. */
  tracked: T;
  /** Paths (`spec.template.spec.containers.0.imagePullPolicyy`) of fields never read. */
  unreadFields(): string[];
}

interface ObjectRecord {
  path: string;
  target: object;
  read: Set<string>;
  enumerated: boolean;
}

export function trackFieldAccess<T extends object>(value: T): FieldAccessTracker<T> {
  const records: ObjectRecord[] = [];
  const proxies = new WeakMap<object, unknown>();

  function track(target: unknown, path: string): unknown {
    if (target === null || typeof target !== "object") return target;
    const existing = proxies.get(target);
    if (existing) return existing;
    const record: ObjectRecord = { path, target, read: new Set(), enumerated: false };
    records.push(record);
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        const child = Reflect.get(object, key, receiver);
        if (typeof key !== "string") return child;
        record.read.add(key);
        return track(child, path === "" ? key : `${path}.${key}`);
      },
      has(object, key) {
        if (typeof key === "string") record.read.add(key);
        return Reflect.has(object, key);
      },
      ownKeys(object) {
        // A map-typed field (additionalProperties): every key is allowed.
        record.enumerated = true;
        return Reflect.ownKeys(object);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  }

  return {
    tracked: track(value, "") as T,
    unreadFields() {
      const unread: string[] = [];
      for (const record of records) {
        if (Array.isArray(record.target) || record.enumerated) continue;
        for (const key of Object.keys(record.target)) {
          if (!record.read.has(key))
            unread.push(record.path === "" ? key : `${record.path}.${key}`);
        }
      }
      return unread;
    },
  };
}
