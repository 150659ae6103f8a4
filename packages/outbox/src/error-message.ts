/** An error as one log-friendly line: `Name: message`, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
