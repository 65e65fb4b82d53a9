import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { getSessionUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";

export const metadata = { title: "Sign in" };

const errorMessages: Record<string, string> = {
  NoRole: "Your single sign-on account is not in any Phoenix group. Ask an admin for access.",
  OAuthSignin: "Single sign-on could not be started. Try again, or use your username and password.",
  OAuthCallback: "Single sign-on did not complete. Try again.",
  AccessDenied: "Access denied.",
};

/** Only same-site paths are followed after sign-in, so the page cannot be used as an open redirect. */
function safeCallback(value: string | undefined): string {
  return value?.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  const config = getConfig();
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-3">
          {/* biome-ignore lint/performance/noImgElement: a static SVG logo */}
          <img src="/icon.svg" alt="" width={36} height={36} />
          <div>
            <h1 className="text-xl font-semibold">Sign in to Phoenix</h1>
            <p className="text-sm text-muted">Lambda latency control room</p>
          </div>
        </div>
        {config.awsMode === "sandbox" ? (
          <p role="note" className="mb-4 rounded-md bg-banner px-3 py-2 text-sm text-banner-fg">
            Sandbox mode: data is simulated. The demo users and their passwords are printed by the server at start.
          </p>
        ) : null}
        <SignInForm
          callbackUrl={callbackUrl}
          oidcName={config.oidc?.name}
          initialError={params.error ? (errorMessages[params.error] ?? "Sign-in failed. Try again.") : undefined}
        />
      </div>
    </main>
  );
}
