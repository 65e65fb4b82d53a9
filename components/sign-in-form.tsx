"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";

export function SignInForm({
  callbackUrl,
  oidcName,
  initialError,
}: {
  callbackUrl: string;
  oidcName?: string;
  initialError?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const result = await signIn("credentials", {
        redirect: false,
        username: String(form.get("username") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      if (result?.ok && !result.error) {
        router.replace(callbackUrl);
        router.refresh();
        return;
      }
      // The server's message (wrong credentials, too many attempts, too long) is meant for people.
      setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong username or password.");
    } catch {
      setError("Phoenix could not be reached. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="card">
      <form onSubmit={submit} noValidate className="space-y-4" aria-describedby={error ? "sign-in-error" : undefined}>
        <div>
          <label className="label" htmlFor="username">
            Username
          </label>
          <input id="username" name="username" className="input" autoComplete="username" required />
        </div>
        <div>
          <label className="label" htmlFor="password">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            className="input"
            autoComplete="current-password"
            required
          />
        </div>
        <div aria-live="polite" id="sign-in-error">
          {error ? (
            <p
              role="alert"
              data-testid="sign-in-error"
              className="rounded-md border border-danger px-3 py-2 text-sm text-danger"
            >
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="btn btn-primary w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidcName ? (
        <>
          <div className="my-4 text-center text-xs text-muted">or</div>
          <button type="button" className="btn w-full" onClick={() => signIn("oidc", { callbackUrl })}>
            Sign in with {oidcName}
          </button>
        </>
      ) : null}
    </div>
  );
}
