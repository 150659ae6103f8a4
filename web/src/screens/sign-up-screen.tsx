import { type FormEvent, useState } from "react";
import type { CallFailure } from "../api/call-failure.js";
import { useCallFailure } from "../api/use-call-failure.js";
import { useAppServices } from "../app-services.js";
import { FailureMessage } from "../components/failure-message.js";
import { TextField } from "../components/text-field.js";
import { useFocusFirstInvalidField } from "../components/use-focus-first-invalid-field.js";
import { AppLink } from "../navigation/app-link.js";
import { navigate } from "../navigation/navigation.js";
import { paths } from "../navigation/routes.js";

/** Sign up: public API v2 RegisterUser; the gateway's field messages appear at their fields. */
export function SignUpScreen() {
  const { api } = useAppServices();
  const describeFailure = useCallFailure();
  const [form, setForm] = useState({ email: "", givenName: "", familyName: "" });
  const [failure, setFailure] = useState<CallFailure>();
  const [busy, setBusy] = useState(false);
  useFocusFirstInvalidField(failure);
  const fieldError = (field: string) =>
    failure?.kind === "invalid" ? failure.fields[field] : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const { user } = await api.users.registerUser(form);
      navigate(`${paths.signIn}?user=${encodeURIComponent(user?.userId ?? "")}`);
    } catch (error) {
      setFailure(describeFailure(error));
      setBusy(false);
    }
  }

  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });
  return (
    <main>
      <h1>Create your account</h1>
      <form onSubmit={submit} noValidate aria-describedby="sign-up-failure">
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set("email")}
          error={fieldError("email")}
        />
        <TextField
          label="Given name"
          autoComplete="given-name"
          value={form.givenName}
          onChange={set("givenName")}
          error={fieldError("given_name")}
        />
        <TextField
          label="Family name"
          autoComplete="family-name"
          value={form.familyName}
          onChange={set("familyName")}
          error={fieldError("family_name")}
        />
        <div id="sign-up-failure">
          <FailureMessage
            failure={
              failure?.kind === "invalid" && Object.keys(failure.fields).length
                ? undefined
                : failure
            }
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Sign up"}
        </button>
      </form>
      <p>
        Already have an account? <AppLink href={paths.signIn}>Sign in</AppLink>
      </p>
    </main>
  );
}
