import { type FormEvent, useState } from "react";
import { useAppServices } from "../app-services.js";
import { TextField } from "../components/text-field.js";
import { navigate } from "../navigation/navigation.js";
import { paths } from "../navigation/routes.js";

// DEV ONLY (never in the production build, see sign-in-screen.tsx): tokens come from the
// devstack's dev issuer (`POST /dev/token`, served by `npm start` only) or are pasted from
// `npm run -s token -- --sub <user id>`.

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default function DevSignIn() {
  const { sessions } = useAppServices();
  const [userId, setUserId] = useState(
    () => new URLSearchParams(window.location.search).get("user") ?? "",
  );
  const [pasted, setPasted] = useState("");
  const [errors, setErrors] = useState<{ userId?: string; token?: string }>({});
  const [busy, setBusy] = useState(false);

  async function signInAs(event: FormEvent) {
    event.preventDefault();
    if (!uuid.test(userId.trim())) {
      setErrors({ userId: "Enter the user id you got at sign-up (a UUID)." });
      return;
    }
    setBusy(true);
    try {
      const response = await fetch("/dev/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ userId: userId.trim() }),
      });
      const body = (await response.json()) as { accessToken?: string; error?: string };
      if (!response.ok || !body.accessToken)
        throw new Error(body.error ?? `HTTP ${response.status}`);
      signIn(body.accessToken, "userId");
    } catch (error) {
      setErrors({ userId: `The dev token issuer refused: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  function signInWithPasted(event: FormEvent) {
    event.preventDefault();
    signIn(pasted, "token");
  }

  function signIn(token: string, field: "userId" | "token") {
    if (!sessions.signIn(token)) {
      setErrors({ [field]: "That is not an access token (a JWT with a subject)." });
      return;
    }
    navigate(paths.dashboard, { replace: true });
  }

  return (
    <>
      <p className="notice">
        Development sign-in: tokens from the devstack's dev issuer. Not part of a production build.
      </p>
      <form onSubmit={signInAs} noValidate>
        <TextField
          label="User id"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          error={errors.userId}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in with a dev token"}
        </button>
      </form>
      <form onSubmit={signInWithPasted} noValidate>
        <TextField
          label="Or paste an access token"
          hint="npm run -s token -- --sub <user id>"
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          error={errors.token}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit">Sign in with this token</button>
      </form>
    </>
  );
}
