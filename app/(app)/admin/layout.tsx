import type { ReactNode } from "react";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";

/** UX only: tells non-admins plainly; the data layer refuses them regardless. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user || !hasRole(user.role, "admin")) {
    return (
      <div role="alert" className="card max-w-xl">
        <h1 className="text-lg font-semibold">Admins only</h1>
        <p className="mt-2 text-sm text-muted">
          This page manages users and sandbox controls. Ask an admin if you need access.
        </p>
      </div>
    );
  }
  return children;
}
