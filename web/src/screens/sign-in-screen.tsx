import { lazy, Suspense } from "react";

// Sign-in belongs to an identity provider (OIDC), which this system does not ship. Dev builds
// add a dev-only sign-in (the devstack's token endpoint, or a pasted token); the production
// build compiles it out: `__DEV_SIGN_IN__` is the constant `false` there, and the dynamic
// import below is dropped with it.
const DevSignIn = __DEV_SIGN_IN__ ? lazy(() => import("./dev-sign-in.js")) : undefined;

export function SignInScreen() {
  const expired = new URLSearchParams(window.location.search).has("expired");
  return (
    <main>
      <h1>Sign in</h1>
      {expired && (
        <p className="notice" role="status">
          Your session has ended. Sign in again.
        </p>
      )}
      {DevSignIn ? (
        <Suspense fallback={<p>Loading…</p>}>
          <DevSignIn />
        </Suspense>
      ) : (
        <p>
          Sign-in is provided by your organisation's identity provider, which is not configured in
          this build.
        </p>
      )}
    </main>
  );
}
