import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { getConfig } from "@/lib/config";

/**
 * Optimistic gate only: anonymous visitors go to the sign-in page and every request gets a request
 * id for the audit log. Authorization itself happens on the server in lib/data and lib/actions;
 * this check is never the only one.
 */
export async function proxy(request: NextRequest) {
  const requestId = crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);

  const token = await getToken({ req: request, secret: getConfig().authSecret });
  if (!token) {
    if (request.nextUrl.pathname.startsWith("/api/")) {
      return NextResponse.json({ ok: false, code: "UNAUTHENTICATED", message: "Please sign in." }, { status: 401 });
    }
    const signIn = new URL("/sign-in", request.url);
    const back = request.nextUrl.pathname + request.nextUrl.search;
    if (back !== "/") signIn.searchParams.set("callbackUrl", back);
    return NextResponse.redirect(signIn);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  // Public: next-auth's own endpoints, health, the sign-in page, static assets.
  matcher: ["/((?!api/auth|api/health|sign-in|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
