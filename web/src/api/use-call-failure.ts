import { useCallback } from "react";
import { useAppServices } from "../app-services.js";
import { navigate } from "../navigation/navigation.js";
import { paths } from "../navigation/routes.js";
import { type CallFailure, describeCallFailure } from "./call-failure.js";

/**
 * Describes a failed call for the screen, and handles the one failure no screen shows itself:
 * a 401 ends the session and goes to sign-in.
 */
export function useCallFailure(): (error: unknown) => CallFailure {
  const { sessions } = useAppServices();
  return useCallback(
    (error: unknown) => {
      const failure = describeCallFailure(error);
      if (failure.kind === "unauthenticated") {
        sessions.signOut();
        navigate(`${paths.signIn}?expired=1`, { replace: true });
      }
      return failure;
    },
    [sessions],
  );
}
