const levelNames: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};
const hiddenFields = new Set(["level", "time", "pid", "hostname", "service", "msg"]);

/**
 * Turns one pino JSON line into a short human line for the terminal
 * (`info  listening port=50051`); anything that is not JSON passes through unchanged.
 */
export function formatLogLine(line: string): string {
  if (!line.startsWith("{")) return line;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = levelNames[Number(record.level)] ?? String(record.level ?? "");
  const fields = Object.entries(record)
    .filter(([key]) => !hiddenFields.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return [level.padEnd(5), String(record.msg ?? ""), ...fields].join(" ").trimEnd();
}
