// GET|POST /api/auth/* – next-auth's sign-in, callback, session and sign-out endpoints
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

type Handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

// Built per request from the lazily-read configuration (module scope runs during `next build`).
const handler: Handler = (request, context) => NextAuth(getAuthOptions())(request, context);

export { handler as GET, handler as POST };
