import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { type Role, roleFromGroups } from "./roles";
import { signInWithPassword } from "./sign-in";
import { findUserById, upsertOidcUser } from "./users";

declare module "next-auth" {
  interface Session {
    user: { id: string; username: string; name: string; role: Role };
  }
  interface User {
    id: string;
    username: string;
    role: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    username?: string;
    role?: Role;
  }
}

/** The client's address as the server saw it; the first X-Forwarded-For hop when behind a proxy. */
function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "") || "unknown";
}

/**
 * Maps an OIDC ID token's claims to a Phoenix user: the groups claim (array or comma-separated
 * string) decides the role, highest match wins; no mapped group yields role "none", which the
 * signIn callback refuses.
 */
export function oidcProfileToUser(
  profile: Record<string, unknown>,
  oidc: { groupsClaim: string; groupsByRole: Record<Role, string[]> },
): { id: string; username: string; name: string; role: Role } {
  const claim = profile[oidc.groupsClaim];
  const groups = Array.isArray(claim)
    ? claim.map(String)
    : typeof claim === "string"
      ? claim.split(",").map((group) => group.trim())
      : [];
  const username = String(profile.preferred_username ?? profile.email ?? profile.sub);
  return {
    id: String(profile.sub),
    username,
    name: String(profile.name ?? username),
    role: (roleFromGroups(groups, oidc.groupsByRole) ?? "none") as Role,
  };
}

let cachedOptions: NextAuthOptions | undefined;

/** next-auth configuration, built on first use (never at module scope: `next build` has no config). */
export function getAuthOptions(): NextAuthOptions {
  if (cachedOptions) return cachedOptions;
  const config = getConfig();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Username and password",
      credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const result = await signInWithPassword(await getDb(), config.signIn, {
          username: credentials?.username,
          password: credentials?.password,
          address: clientAddress(request?.headers),
        });
        // next-auth passes a thrown message back to the sign-in form as `error`.
        if (!result.ok) throw new Error(result.message);
        return {
          id: result.user.id,
          username: result.user.username,
          name: result.user.displayName,
          role: result.user.role,
        };
      },
    }),
  ];
  const oidc = config.oidc;
  if (oidc) {
    providers.push({
      id: "oidc",
      name: oidc.name,
      type: "oauth",
      wellKnown: `${oidc.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      authorization: { params: { scope: "openid profile email" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (profile: Record<string, unknown>) => oidcProfileToUser(profile, oidc),
    });
  }

  cachedOptions = {
    secret: config.authSecret,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers,
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        if (!["viewer", "operator", "admin"].includes(user.role)) return "/sign-in?error=NoRole";
        const stored = await upsertOidcUser(await getDb(), {
          subject: user.id,
          username: user.username,
          displayName: user.name ?? user.username,
          role: user.role,
        });
        user.id = stored.id;
        user.username = stored.username;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.username = user.username;
          token.role = user.role;
        }
        return token;
      },
      async session({ session, token }) {
        // The role shown is refreshed from the store, so a role change or a disabled account shows at once.
        const stored = token.uid ? await findUserById(await getDb(), token.uid) : undefined;
        session.user = {
          id: token.uid ?? "",
          username: token.username ?? "",
          name: stored?.display_name ?? token.name ?? "",
          role: stored && stored.disabled === 0 ? stored.role : "viewer",
        };
        return session;
      },
    },
  };
  return cachedOptions;
}
