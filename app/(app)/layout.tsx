import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { type NavItem, NavLinks } from "@/components/shell/nav-links";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { roleLabels } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";

const navigation: NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/functions", label: "Functions" },
  { href: "/runtime-upgrade", label: "Runtime upgrade" },
  { href: "/action-items", label: "Action items" },
  { href: "/reviews", label: "Reviews" },
  { href: "/jobs", label: "Jobs" },
  { href: "/audit", label: "Audit log" },
];

export default async function AppLayout({ children }: { children: ReactNode }) {
  // UX only: every data read and action checks the role again on the server.
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const { awsMode } = getConfig();
  const theme = (await cookies()).get("phoenix-theme")?.value;
  const adminItems: NavItem[] = [
    { href: "/admin/users", label: "Users" },
    ...(awsMode === "sandbox" ? [{ href: "/admin/sandbox", label: "Sandbox" }] : []),
  ];
  const items = user.role === "admin" ? [...navigation, ...adminItems] : navigation;

  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      {awsMode === "sandbox" ? (
        <div role="note" className="border-b border-border bg-banner px-4 py-1.5 text-center text-sm text-banner-fg">
          <strong>Sandbox mode:</strong> the AWS account, functions and metrics shown are simulated. No real AWS
          resource is read or changed.
        </div>
      ) : null}
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-border bg-surface px-4 py-2">
        <Link href="/" className="flex items-center gap-2 font-semibold">
          {/* biome-ignore lint/performance/noImgElement: a 24px static SVG needs no optimisation */}
          <img src="/icon.svg" alt="" width={24} height={24} />
          Phoenix
        </Link>
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <span data-testid="current-user">
            {user.name} <span className="text-muted">({user.username})</span> ·{" "}
            <span className="rounded bg-surface-2 px-1.5 py-0.5 font-medium" data-testid="current-role">
              {roleLabels[user.role]}
            </span>
          </span>
          <ThemeToggle initial={theme === "light" || theme === "dark" ? theme : "system"} />
          <SignOutButton />
        </div>
      </header>
      <div className="flex flex-1 flex-col lg:flex-row">
        <nav
          aria-label="Main"
          className="border-b border-border bg-surface p-2 lg:w-52 lg:border-r lg:border-b-0 lg:p-3"
        >
          <NavLinks items={items} />
        </nav>
        <main id="main" className="min-w-0 flex-1 p-4 lg:p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
