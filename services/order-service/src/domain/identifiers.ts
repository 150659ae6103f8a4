const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for the textual form of a UUID (any version, any case). */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
