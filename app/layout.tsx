import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Phoenix", template: "%s · Phoenix" },
  description: "Lambda latency control room",
  icons: { icon: "/icon.svg" },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = (await cookies()).get("phoenix-theme")?.value;
  return (
    <html lang="en" data-theme={theme === "light" || theme === "dark" ? theme : undefined}>
      <body className="min-h-screen font-sans antialiased">{children}</body>
    </html>
  );
}
