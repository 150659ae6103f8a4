/** One interaction's outcome in Pact's verification result JSON. */
export interface InteractionResult {
  description: string;
  result: "OK" | "Error" | string;
}

/** One mismatch Pact reported: which interaction, where in the message, what was wrong. */
export interface VerificationMismatch {
  interaction: string;
  path: string;
  mismatch: string;
}

/** Pact's verification result (`pactffi_verifier_json`), read from a resolved value or an Error. */
export interface VerificationResult {
  passed: boolean;
  interactions: InteractionResult[];
  mismatches: VerificationMismatch[];
}

interface RawResult {
  errors?: {
    interaction?: string;
    mismatch?: { mismatches?: { path?: string; mismatch?: string }[]; message?: string };
  }[];
  interactionResults?: InteractionResult[];
}

/**
 * Reads what a verification measured. pact-core resolves with the result JSON when every
 * interaction verified and rejects with an Error whose message is that JSON when one did not;
 * anything else (a crash, bad arguments) is rethrown.
 */
export async function verificationResult(verify: Promise<unknown>): Promise<VerificationResult> {
  let raw: RawResult;
  let passed: boolean;
  try {
    raw = parse(await verify);
    passed = true;
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("{")) throw error;
    raw = parse(error.message);
    passed = false;
  }
  const mismatches = (raw.errors ?? []).flatMap((entry) => {
    const interaction = entry.interaction ?? "";
    const listed = entry.mismatch?.mismatches ?? [];
    if (listed.length === 0) {
      return [{ interaction, path: "", mismatch: entry.mismatch?.message ?? "failed" }];
    }
    return listed.map((item) => ({
      interaction,
      path: item.path ?? "",
      mismatch: item.mismatch ?? "",
    }));
  });
  return { passed, interactions: raw.interactionResults ?? [], mismatches };
}

function parse(value: unknown): RawResult {
  if (typeof value === "string") return JSON.parse(value) as RawResult;
  if (typeof value === "object" && value !== null) return value as RawResult;
  return {};
}

/** How many interactions verified. */
export function passedCount(result: VerificationResult): number {
  return result.interactions.filter((entry) => entry.result === "OK").length;
}
